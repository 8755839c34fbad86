using System.Text.Json;
using System.Text.Json.Serialization;

namespace Luna.Core.Metrics;

/// <summary>How many test samples were evaluated.</summary>
/// <param name="Total">All test samples, n.</param>
/// <param name="Known">Samples with label ≥ 0.</param>
/// <param name="Unknown">Samples with label -1.</param>
public sealed record SampleCounts(int Total, int Known, int Unknown);

/// <summary>Detection metrics over all unknowns and per unknown group.</summary>
/// <param name="Overall">All known samples against all unknown samples.</param>
/// <param name="Groups">
/// Per unknown group (near, far, cross, then other names): all known samples against that group's unknowns only;
/// null when no groups were given.
/// </param>
public sealed record DetectionReport(DetectionMetrics Overall, IReadOnlyDictionary<string, DetectionMetrics>? Groups);

/// <summary>Metrics after rejection (open-set).</summary>
/// <param name="RejectionSource">
/// Where the -1 predictions come from: <c>threshold</c> (score &gt; threshold), <c>predictions</c> (the -1 values of the
/// given predictions), or <c>predictions+threshold</c> (both).
/// </param>
/// <param name="Rejection">Known and unknown samples rejected.</param>
/// <param name="Accuracy">OLTR's open-set accuracy: accuracy on known samples with a rejected known counting as an error; null without predictions.</param>
/// <param name="FMeasure">OLTR's open-set F-measure; null without predictions.</param>
public sealed record OpenSetMetrics(string RejectionSource, RejectionCounts Rejection, AccuracyMetrics? Accuracy, OpenSetFMeasure? FMeasure);

/// <summary>
/// Every metric of docs/metrics.md that the given inputs allow; absent metrics are null (omitted from JSON).
/// Written by <c>luna metrics</c> as JSON with camelCase names (<see cref="MetricsJson"/>).
/// </summary>
/// <param name="Samples">Sample counts.</param>
/// <param name="Convention">The sign and positive-class convention, stated in words (<see cref="OpenSetEvaluator.Convention"/>).</param>
/// <param name="Detection">AUROC, AUPR-In, AUPR-Out, FPR@95TPR overall and per unknown group.</param>
/// <param name="ClosedSet">Top-1 accuracy on known samples without rejection; null without closed-set predictions.</param>
/// <param name="Thresholds">The rejection thresholds used for <paramref name="OpenSet"/>; null when none were given.</param>
/// <param name="OpenSet">Metrics after rejection; null when there is neither a threshold nor a -1 in the predictions.</param>
/// <param name="Unfamiliarity">Mean score per group and unknown class, Spearman check of the hierarchy order.</param>
/// <param name="Notes">Plain sentences on what was left out and why.</param>
public sealed record MetricsReport(
    SampleCounts Samples,
    string Convention,
    DetectionReport Detection,
    AccuracyMetrics? ClosedSet,
    Thresholds? Thresholds,
    OpenSetMetrics? OpenSet,
    UnfamiliarityMetrics Unfamiliarity,
    IReadOnlyList<string> Notes)
{
    /// <summary>The input files the report was computed from (role → path, e.g. <c>scores</c> → <c>S.csv</c>), or null.</summary>
    [JsonPropertyOrder(-1)]
    public IReadOnlyDictionary<string, string>? Inputs { get; init; }

    /// <summary>The report as indented camelCase JSON, nulls omitted.</summary>
    public string ToJson() => MetricsJson.Serialize(this);
}

/// <summary>The inputs of <see cref="OpenSetEvaluator.Evaluate"/>; every array has one element per test sample, in the same order.</summary>
/// <param name="Scores">Novelty score per test sample (higher = more novel), finite.</param>
/// <param name="Labels">True label per test sample: -1 unknown, else the known class.</param>
public sealed record OpenSetEvaluationInput(double[] Scores, int[] Labels)
{
    /// <summary>
    /// Predicted class per test sample, or null. Without any -1 they are closed-set predictions (closed-set accuracy;
    /// open-set metrics when <see cref="Thresholds"/> is set). With a -1 they are open-set predictions already, so
    /// closed-set accuracy is omitted.
    /// </summary>
    public int[]? Predictions { get; init; }

    /// <summary>Training images per known class (length K), for the many/medium/few split, or null.</summary>
    public int[]? TrainingCounts { get; init; }

    /// <summary>Group name per test sample (known/near/far/cross or any name; see <see cref="UnknownGroups.Resolve"/>), or null.</summary>
    public string?[]? Groups { get; init; }

    /// <summary>Original class name of each unknown sample (e.g. <c>Shirt</c>), or null.</summary>
    public string?[]? UnknownClasses { get; init; }

    /// <summary>Rejection thresholds (reject when score &gt; tau), or null.</summary>
    public Thresholds? Thresholds { get; init; }

    /// <summary>Predicted class that selects each sample's per-class threshold (acquaintance); required with per-class thresholds.</summary>
    public int[]? ThresholdClasses { get; init; }

    /// <summary>Known validation factors for calibrated percentiles, or null.</summary>
    public UnfamiliarityCalibration? Calibration { get; init; }
}

/// <summary>Computes the whole <see cref="MetricsReport"/> from one set of test results.</summary>
public static class OpenSetEvaluator
{
    /// <summary>The convention stated in every report.</summary>
    public const string Convention =
        "higher score = more novel; unknown (label -1) is the positive class of AUROC, AUPR-Out and FPR@95TPR; "
        + "AUPR-In takes known as positive with the negated score; a sample is rejected as unknown when score > threshold; "
        + "FPR@95TPR is the fraction of unknowns with score <= tau, tau the smallest score such that at least 95% of knowns have score <= tau";

    /// <summary>Computes every metric the input allows.</summary>
    /// <exception cref="LunaInputException">Inconsistent lengths, non-finite scores, labels below -1, no known or no unknown sample, or a group that contradicts its label.</exception>
    public static MetricsReport Evaluate(OpenSetEvaluationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        double[] scores = input.Scores;
        int[] labels = input.Labels;
        CheckLength("predictions", input.Predictions?.Length, scores.Length);
        CheckLength("groups", input.Groups?.Length, scores.Length);
        CheckLength("unknown classes", input.UnknownClasses?.Length, scores.Length);
        CheckLength("threshold classes", input.ThresholdClasses?.Length, scores.Length);
        var notes = new List<string>();

        DetectionMetrics overall = DetectionEvaluator.Evaluate(scores, labels);
        string[] resolved = UnknownGroups.Resolve(labels, input.Groups);
        Dictionary<string, DetectionMetrics>? perGroup = null;
        if (input.Groups is not null)
        {
            perGroup = new Dictionary<string, DetectionMetrics>(StringComparer.Ordinal);
            foreach (string group in UnknownGroups.UnknownGroupsInOrder(resolved))
            {
                var subScores = new List<double>();
                var subUnknown = new List<bool>();
                for (int i = 0; i < scores.Length; i++)
                {
                    bool known = labels[i] >= 0;
                    if (known || resolved[i] == group)
                    {
                        subScores.Add(scores[i]);
                        subUnknown.Add(!known);
                    }
                }
                perGroup[group] = DetectionEvaluator.Evaluate(
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(subScores),
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(subUnknown));
            }
        }

        AccuracyMetrics? closedSet = null;
        bool predictionsRejectSome = false;
        if (input.Predictions is { } predictions)
        {
            predictionsRejectSome = Array.IndexOf(predictions, -1) >= 0;
            if (predictionsRejectSome)
            {
                notes.Add("closed-set accuracy omitted: the predictions contain -1, so they are open-set predictions already");
            }
            else
            {
                closedSet = ClassificationEvaluator.Accuracy(labels, predictions, input.TrainingCounts);
            }
        }
        else
        {
            notes.Add("closed-set and open-set accuracy and the F-measure omitted: no predictions were given");
        }

        OpenSetMetrics? openSet = null;
        if (input.Thresholds is not null || predictionsRejectSome)
        {
            int[] openPredictions;
            string source;
            if (input.Thresholds is { } thresholds)
            {
                if (thresholds.IsPerClass && input.ThresholdClasses is null)
                {
                    throw new LunaInputException("thresholds: per-class thresholds need the predicted class (acquaintance) of every test sample");
                }
                int[] basePredictions = input.Predictions ?? new int[scores.Length];
                openPredictions = thresholds.Apply(scores, basePredictions, input.ThresholdClasses ?? default(ReadOnlySpan<int>));
                source = predictionsRejectSome ? "predictions+threshold" : "threshold";
            }
            else
            {
                openPredictions = input.Predictions!;
                source = "predictions";
            }
            RejectionCounts rejection = ClassificationEvaluator.Rejections(labels, openPredictions);
            AccuracyMetrics? openAccuracy = null;
            OpenSetFMeasure? fMeasure = null;
            if (input.Predictions is not null)
            {
                openAccuracy = ClassificationEvaluator.Accuracy(labels, openPredictions, input.TrainingCounts);
                fMeasure = ClassificationEvaluator.FMeasure(labels, openPredictions);
            }
            openSet = new OpenSetMetrics(source, rejection, openAccuracy, fMeasure);
        }
        else if (input.Predictions is not null)
        {
            notes.Add("open-set accuracy and the F-measure omitted: no threshold was given and the predictions contain no -1");
        }
        if (input.TrainingCounts is null && input.Predictions is not null)
        {
            notes.Add("many/medium/few accuracies omitted: no training counts were given");
        }

        UnfamiliarityMetrics unfamiliarity = UnfamiliarityEvaluator.Evaluate(scores, labels, input.Groups, input.UnknownClasses, input.Calibration);
        return new MetricsReport(
            new SampleCounts(scores.Length, overall.Known, overall.Unknown),
            Convention,
            new DetectionReport(overall, perGroup),
            closedSet,
            input.Thresholds,
            openSet,
            unfamiliarity,
            notes);
    }

    private static void CheckLength(string name, int? length, int expected)
    {
        if (length is { } n && n != expected)
        {
            throw new LunaInputException($"{name}: {n} values for {expected} scores");
        }
    }
}

/// <summary>The one JSON style of Luna's metric reports: camelCase names, enums as camelCase strings, nulls omitted, indented.</summary>
public static class MetricsJson
{
    /// <summary>The serializer options (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises <paramref name="report"/>.</summary>
    public static string Serialize(MetricsReport report) => JsonSerializer.Serialize(report, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
