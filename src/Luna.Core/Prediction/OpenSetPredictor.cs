using System.Text.Json;
using System.Text.Json.Nodes;
using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core.Metrics;
using Luna.Core.Scoring;

namespace Luna.Core.Prediction;

/// <summary>
/// The open-set decision rule of a trained model, chosen on its known-only validation split and stored in the model
/// file: LUNA's settings, the rejection threshold, the known-class predictor and the validation factors that calibrate
/// the unfamiliarity reading.
/// </summary>
public sealed record OpenSetDecisionRule
{
    /// <summary>LUNA's neighbourhood size k.</summary>
    public int K { get; init; } = NoveltyScorerOptions.Defaults.K;

    /// <summary>Whether features are L2-normalised before LUNA (docs/method.md: yes).</summary>
    public bool Normalize { get; init; } = NoveltyScorerOptions.Defaults.Normalize;

    /// <summary>LUNA's candidate rule.</summary>
    public CandidateRule Candidates { get; init; } = NoveltyScorerOptions.Defaults.Candidates;

    /// <summary>Fraction q of the known validation images the threshold accepts.</summary>
    public double AcceptFraction { get; init; } = Thresholds.DefaultAcceptFraction;

    /// <summary>tau: an image is unknown when its LUNA factor is &gt; tau.</summary>
    public double Threshold { get; init; }

    /// <summary><c>top1</c> (the classifier's argmax) or <c>acquaintance</c> (LUNA's argmin class): the predictor of a known image.</summary>
    public string Predictor { get; init; } = "top1";

    /// <summary>Balanced accuracy of the top-1 class on validation, or null without logits.</summary>
    public double? ValidationBalancedAccuracyTop1 { get; init; }

    /// <summary>Balanced accuracy of the acquaintance on validation.</summary>
    public double? ValidationBalancedAccuracyAcquaintance { get; init; }

    /// <summary>The LUNA factor of every known validation image (calibrates the percentile), ≥ 1 value.</summary>
    public double[] ValidationFactors { get; init; } = [];

    /// <summary>The rule as JSON (camelCase, enums as strings).</summary>
    public JsonNode ToJson() => JsonSerializer.SerializeToNode(this, MetricsJson.Options)!;

    /// <summary>Reads a rule written by <see cref="ToJson"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="LunaInputException">The JSON is not a usable rule.</exception>
    public static OpenSetDecisionRule FromJson(JsonNode? node, string source)
    {
        OpenSetDecisionRule? rule;
        try
        {
            rule = node?.Deserialize<OpenSetDecisionRule>(MetricsJson.Options);
        }
        catch (JsonException e)
        {
            throw LunaInputException.InFile(source, $"decision rule is malformed ({e.Message})");
        }
        if (rule is null || rule.K < 1 || !double.IsFinite(rule.Threshold) || rule.ValidationFactors.Length == 0
            || rule.Predictor is not ("top1" or "acquaintance") || !(rule.AcceptFraction > 0 && rule.AcceptFraction <= 1))
        {
            throw LunaInputException.InFile(source, "decision rule is incomplete (k, threshold, predictor, accept fraction or validation factors missing or out of range)");
        }
        return rule;
    }
}

/// <summary>The answer for one image.</summary>
/// <param name="Class">The predicted known class (0..K-1), given even when the decision is unknown.</param>
/// <param name="ClassName">Its name.</param>
/// <param name="Probability">The classifier's softmax probability of <paramref name="Class"/>, or null without logits.</param>
/// <param name="Factor">The LUNA factor (about 1 = familiar, higher = further from the acquaintance in its own units).</param>
/// <param name="Unknown">True when <paramref name="Factor"/> is above the model's threshold.</param>
/// <param name="Acquaintance">The known class the image was judged against (the argmin class of the factor).</param>
/// <param name="AcquaintanceName">Its name.</param>
/// <param name="Percentile">Percentage of known validation images whose factor is ≤ this factor, in [0, 100].</param>
/// <param name="Reading">One phrase for the unfamiliarity level (see <see cref="UnfamiliarityReading"/>).</param>
public sealed record OpenSetPrediction(
    int Class,
    string ClassName,
    double? Probability,
    double Factor,
    bool Unknown,
    int Acquaintance,
    string AcquaintanceName,
    double Percentile,
    string Reading);

/// <summary>
/// Answers the three questions of docs/method.md for new features: unknown or not (LUNA factor above the validation
/// threshold), which known class (the predictor chosen on validation, as <see cref="OpenSetEvaluation"/> chooses it),
/// and how unfamiliar (the factor, its percentile among known validation factors, and a phrase).
/// </summary>
/// <remarks>
/// <para><see cref="Fit"/> makes every choice on the known-only validation split exactly as
/// <see cref="OpenSetEvaluation"/> does for the <c>luna</c> score: LUNA is fitted on the training features (with
/// their logits, so that the top-1 class joins the candidates), the threshold tau accepts a fraction q of the
/// validation factors (<see cref="Thresholds.FromValidation"/>), and the predictor is the top-1 class unless the
/// acquaintance has a strictly higher balanced accuracy on validation.</para>
/// <para>Classes with a single training image are left out of LUNA's candidates (with a warning) rather than refused,
/// so that a tail class with one image does not stop a user's model.</para>
/// </remarks>
public sealed class OpenSetPredictor
{
    private readonly LunaModel _luna;
    private readonly string[] _classNames;
    private readonly UnfamiliarityCalibration _calibration;
    private readonly double _maxValidationFactor;

    private OpenSetPredictor(LunaModel luna, string[] classNames, OpenSetDecisionRule rule)
    {
        _luna = luna;
        _classNames = classNames;
        Rule = rule;
        _calibration = new UnfamiliarityCalibration(rule.ValidationFactors);
        _maxValidationFactor = rule.ValidationFactors.Max();
    }

    /// <summary>The decision rule (store it with the model).</summary>
    public OpenSetDecisionRule Rule { get; }

    /// <summary>Name of each known class, K entries.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Warnings of the fitted LUNA (single-image classes left out, clamped k).</summary>
    public IReadOnlyList<string> Warnings => _luna.Warnings;

    /// <summary>The fitted LUNA factor.</summary>
    public LunaModel Luna => _luna;

    /// <summary>Fits LUNA on <paramref name="train"/> and chooses the threshold and predictor on <paramref name="validation"/>.</summary>
    /// <param name="train">Reference features [n, d], labels 0..K-1, logits [n, K] or null.</param>
    /// <param name="validation">Known-only validation features [v, d], labels 0..K-1, logits or null (both or neither with <paramref name="train"/>).</param>
    /// <param name="classNames">K class names.</param>
    /// <param name="k">LUNA's k.</param>
    /// <param name="acceptFraction">q in (0, 1].</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <exception cref="LunaInputException">Inconsistent inputs, or an empty validation split.</exception>
    public static OpenSetPredictor Fit(FeatureSplit train, FeatureSplit validation, IReadOnlyList<string> classNames, int k = NoveltyScorerOptions.Defaults.K, double acceptFraction = Thresholds.DefaultAcceptFraction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(classNames);
        if (validation.Labels.Length == 0)
        {
            throw new LunaInputException("validation: no images; the threshold is chosen on known validation images");
        }
        var rule = new OpenSetDecisionRule { K = k, AcceptFraction = acceptFraction };
        LunaModel luna = FitLuna(train, classNames, rule, cancellationToken);
        bool logits = train.Logits is not null && validation.Logits is not null;
        var query = new ScoringQuery(validation.Features, logits ? validation.Logits : null) { FeaturesSource = "validation features", LogitsSource = "validation logits" };
        LunaRuleScores scores = luna.ScoreRule(query, rule.Candidates, cancellationToken);
        double? top1Accuracy = logits ? OpenSetEvaluation.BalancedAccuracy(validation.Labels, validation.TopOne()) : null;
        double acquaintanceAccuracy = OpenSetEvaluation.BalancedAccuracy(validation.Labels, scores.Acquaintance);
        string predictor = top1Accuracy is not null && top1Accuracy >= acquaintanceAccuracy ? "top1" : "acquaintance";
        rule = rule with
        {
            Threshold = Thresholds.FromValidation(scores.Factors, acceptFraction).Global,
            Predictor = predictor,
            ValidationBalancedAccuracyTop1 = top1Accuracy,
            ValidationBalancedAccuracyAcquaintance = acquaintanceAccuracy,
            ValidationFactors = scores.Factors,
        };
        return new OpenSetPredictor(luna, classNames.ToArray(), rule);
    }

    /// <summary>Rebuilds a predictor from its reference features and a stored rule (the LUNA fit is deterministic).</summary>
    /// <exception cref="LunaInputException">Inconsistent inputs.</exception>
    public static OpenSetPredictor Restore(FeatureSplit train, IReadOnlyList<string> classNames, OpenSetDecisionRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(rule);
        return new OpenSetPredictor(FitLuna(train, classNames, rule, cancellationToken), classNames.ToArray(), rule);
    }

    /// <summary>The answer for every row of <paramref name="features"/> [m, d] with logits [m, K] (or null).</summary>
    /// <exception cref="LunaInputException">The shapes do not match the reference features.</exception>
    public OpenSetPrediction[] Predict(FeatureMatrix features, FeatureMatrix? logits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        var result = new OpenSetPrediction[features.Rows];
        if (features.Rows == 0)
        {
            return result;
        }
        var query = new ScoringQuery(features, logits);
        LunaRuleScores scores = _luna.ScoreRule(query, Rule.Candidates, cancellationToken);
        int classes = _classNames.Length;
        var probabilities = new double[classes];
        for (int i = 0; i < features.Rows; i++)
        {
            int acquaintance = scores.Acquaintance[i];
            int predicted = acquaintance;
            double? probability = null;
            if (logits is not null)
            {
                Softmax(logits.Row(i), probabilities);
                if (Rule.Predictor == "top1")
                {
                    predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Row(i));
                }
                probability = probabilities[predicted];
            }
            double factor = scores.Factors[i];
            double percentile = _calibration.Percentile(factor);
            string acquaintanceName = _classNames[acquaintance];
            result[i] = new OpenSetPrediction(
                predicted,
                _classNames[predicted],
                probability,
                factor,
                factor > Rule.Threshold,
                acquaintance,
                acquaintanceName,
                percentile,
                UnfamiliarityReading.Describe(factor, percentile, Rule.Threshold, _maxValidationFactor, acquaintanceName));
        }
        return result;
    }

    private static LunaModel FitLuna(FeatureSplit train, IReadOnlyList<string> classNames, OpenSetDecisionRule rule, CancellationToken cancellationToken)
    {
        if (train.Labels.Length != train.Features.Rows)
        {
            throw new LunaInputException($"reference labels: {train.Labels.Length} labels for {train.Features.Rows} feature rows");
        }
        foreach (int label in train.Labels)
        {
            if (label < 0 || label >= classNames.Count)
            {
                throw new LunaInputException($"reference labels: value {label} is outside 0..{classNames.Count - 1}");
            }
        }
        var options = new NoveltyScorerOptions { K = rule.K, Normalize = rule.Normalize, Candidates = rule.Candidates, AllowSingletonClasses = true };
        var training = new ScoringTrainingSet(train.Features, train.Labels, train.Logits) { FeaturesSource = "reference features", LabelsSource = "reference labels", LogitsSource = "reference logits", ClassNames = classNames };
        return new LunaScorer(options).FitModel(training, cancellationToken);
    }

    private static void Softmax(ReadOnlySpan<float> logits, Span<double> probabilities)
    {
        double max = double.NegativeInfinity;
        foreach (float z in logits)
        {
            max = Math.Max(max, z);
        }
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            probabilities[j] = Math.Exp(logits[j] - max);
            sum += probabilities[j];
        }
        for (int j = 0; j < logits.Length; j++)
        {
            probabilities[j] /= sum;
        }
    }
}

/// <summary>
/// Turns an unfamiliarity level into one phrase for users. The bands use the factor's percentile p among the known
/// validation factors, the model's threshold tau and the largest validation factor v_max:
/// <list type="table">
/// <item><term>familiar</term><description>factor ≤ tau and p ≤ 50 (as familiar as a typical known image)</description></item>
/// <item><term>familiar, less typical of A</term><description>factor ≤ tau and p &gt; 50 (accepted, in the outer half of the known images)</description></item>
/// <item><term>unfamiliar, near A</term><description>tau &lt; factor ≤ v_max (rejected, but some known validation images were as far)</description></item>
/// <item><term>very unfamiliar, nearest known class A</term><description>factor &gt; v_max (further than every known validation image)</description></item>
/// </list>
/// A is the acquaintance's name.
/// </summary>
public static class UnfamiliarityReading
{
    /// <summary>The phrase for one image.</summary>
    public static string Describe(double factor, double percentile, double threshold, double maxValidationFactor, string acquaintance)
    {
        if (factor <= threshold)
        {
            return percentile <= 50 ? "familiar" : $"familiar, less typical of {acquaintance}";
        }
        return factor <= maxValidationFactor ? $"unfamiliar, near {acquaintance}" : $"very unfamiliar, nearest known class {acquaintance}";
    }
}
