using Luna.Core.Data;
using Luna.Core.Metrics;
using Luna.Core.Scoring;

namespace Luna.Core.Evaluation;

/// <summary>
/// The features of one split: X [n, d], optionally the classifier's logits [n, K], and the labels [n]
/// (0..K-1 known, -1 unknown).
/// </summary>
/// <param name="Features">Features, n × d (raw; each score normalises as its definition says).</param>
/// <param name="Logits">Logits, n × K, or null when the features come without a classifier.</param>
/// <param name="Labels">True label per row: 0..K-1, or -1 for unknown (test split only).</param>
public sealed record FeatureSplit(FeatureMatrix Features, FeatureMatrix? Logits, int[] Labels)
{
    /// <summary>Top-1 class per row (argmax of the logits, ties to the lower class), or null without logits.</summary>
    public int[]? TopOne() => Logits is null ? null : ArgMax(Logits);

    internal static int[] ArgMax(FeatureMatrix logits)
    {
        var top = new int[logits.Rows];
        for (int i = 0; i < logits.Rows; i++)
        {
            top[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Row(i));
        }
        return top;
    }
}

/// <summary>
/// Everything one open-set evaluation needs: the training split (the reference set every score is fitted on), a
/// known-only validation split (thresholds and the choice of predictor are made on it), and the test split with the
/// group (known / near / far / cross) and original class name of each test sample.
/// </summary>
/// <param name="Train">Training features, labels 0..K-1.</param>
/// <param name="Validation">Known-only validation features, labels 0..K-1.</param>
/// <param name="Test">Test features, labels 0..K-1 or -1.</param>
/// <param name="ClassNames">Name of each known class, length K.</param>
public sealed record EvaluationData(FeatureSplit Train, FeatureSplit Validation, FeatureSplit Test, IReadOnlyList<string> ClassNames)
{
    /// <summary>Group of each test sample (known, near, far, cross, or any name), or null.</summary>
    public string?[]? TestGroups { get; init; }

    /// <summary>Original class name of each unknown test sample (e.g. <c>Shirt</c>), or null.</summary>
    public string?[]? TestUnknownClasses { get; init; }

    /// <summary>Training images per known class; computed from <see cref="FeatureSplit.Labels"/> of <see cref="Train"/> when null.</summary>
    public int[]? TrainCounts { get; init; }

    /// <summary>Training images per class, K entries.</summary>
    public int[] ResolveTrainCounts()
    {
        if (TrainCounts is { } counts)
        {
            return counts;
        }
        var result = new int[ClassNames.Count];
        foreach (int label in Train.Labels)
        {
            if (label >= 0 && label < result.Length)
            {
                result[label]++;
            }
        }
        return result;
    }
}

/// <summary>Settings of an open-set evaluation; the defaults are the constants in <see cref="Defaults"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>Fraction of the known validation samples the threshold accepts.</summary>
        public const double AcceptFraction = Thresholds.DefaultAcceptFraction;

        /// <summary>One global threshold (false) or one per predicted class (true).</summary>
        public const bool PerClassThresholds = false;

        /// <summary>OLTR's own open-set rule rejects when the max softmax probability is below this value.</summary>
        public const double OltrProbability = 0.1;
    }

    /// <summary>The scores to evaluate, by registry name; null = every registered score.</summary>
    public IReadOnlyList<string>? Scores { get; init; }

    /// <summary>Settings shared by the scores (k, normalisation, candidate rule, ...).</summary>
    public NoveltyScorerOptions Scoring { get; init; } = NoveltyScorerOptions.Default;

    /// <summary>Fraction of validation samples accepted by the threshold, in (0, 1].</summary>
    public double AcceptFraction { get; init; } = Defaults.AcceptFraction;

    /// <summary>Per-class thresholds, chosen per predicted class (acquaintance) on the validation split.</summary>
    public bool PerClassThresholds { get; init; } = Defaults.PerClassThresholds;
}
