using System.Text.Json.Serialization;
using Luna.Core.Metrics;
using Luna.Core.Scoring;

namespace Luna.Core.Evaluation;

/// <summary>The test results of one novelty score, with its threshold and known-class predictor chosen on validation.</summary>
/// <param name="Score">Registry name of the score (or <c>msp-oltr</c> for OLTR's fixed rule).</param>
/// <param name="Predictor">
/// How a sample that is not rejected gets its class: <c>top1</c> (the classifier's argmax) or <c>acquaintance</c>
/// (the class the score judged it against), whichever had the higher balanced accuracy on the validation split
/// (ties to <c>top1</c>).
/// </param>
/// <param name="ValidationBalancedAccuracyTop1">Mean per-class accuracy of the top-1 class on validation, or null without logits.</param>
/// <param name="ValidationBalancedAccuracyAcquaintance">Mean per-class accuracy of the acquaintance on validation, or null when the score has none.</param>
/// <param name="Metrics">Every test metric: detection overall and per group, closed-set accuracy of the chosen predictor, open-set accuracy and F-measure at the validation threshold, the unfamiliarity order.</param>
/// <param name="AcquaintanceClosedSet">Closed-set test accuracy when every known test sample is predicted its acquaintance, or null.</param>
/// <param name="Warnings">Warnings of the fitted score (clamped k, singleton classes, ...).</param>
public sealed record ScoreEvaluation(
    string Score,
    string? Predictor,
    double? ValidationBalancedAccuracyTop1,
    double? ValidationBalancedAccuracyAcquaintance,
    MetricsReport Metrics,
    AccuracyMetrics? AcquaintanceClosedSet,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The score of every test sample (higher = more novel), in test order.</summary>
    [JsonIgnore]
    public double[] TestScores { get; init; } = [];

    /// <summary>The acquaintance of every test sample, or null.</summary>
    [JsonIgnore]
    public int[]? TestAcquaintance { get; init; }

    /// <summary>The score of every validation sample.</summary>
    [JsonIgnore]
    public double[] ValidationScores { get; init; } = [];
}

/// <summary>LUNA's detection under one candidate rule (docs/method.md: neighbours, top1, all = LOF).</summary>
/// <param name="Rule">The candidate rule.</param>
/// <param name="Detection">AUROC, AUPR, FPR@95TPR overall and per unknown group.</param>
/// <param name="AcquaintanceClosedSet">Closed-set accuracy when known test samples are predicted their acquaintance.</param>
/// <param name="FellBack">Test samples whose candidate set was empty and fell back to the nearest eligible class.</param>
public sealed record LunaRuleEvaluation(string Rule, DetectionReport Detection, AccuracyMetrics AcquaintanceClosedSet, int FellBack);

/// <summary>The results of one open-set evaluation (one trained model, every score).</summary>
/// <param name="ClosedSetTop1">Closed-set accuracy of the classifier's top-1 on the known test samples, or null without logits.</param>
/// <param name="Scores">One entry per evaluated score, in the order asked.</param>
/// <param name="LunaRules">LUNA under each candidate rule, or null when <c>luna</c> was not evaluated.</param>
/// <param name="OltrRule">OLTR's own open-set rule (reject when the max softmax probability is below 0.1), or null without logits.</param>
/// <param name="Notes">Plain sentences on what was skipped and why.</param>
public sealed record EvaluationResult(
    AccuracyMetrics? ClosedSetTop1,
    IReadOnlyList<ScoreEvaluation> Scores,
    IReadOnlyList<LunaRuleEvaluation>? LunaRules,
    ScoreEvaluation? OltrRule,
    IReadOnlyList<string> Notes)
{
    /// <summary>The evaluation of the score named <paramref name="score"/>, or null.</summary>
    public ScoreEvaluation? Find(string score)
    {
        foreach (ScoreEvaluation s in Scores)
        {
            if (string.Equals(s.Score, score, StringComparison.OrdinalIgnoreCase))
            {
                return s;
            }
        }
        return null;
    }
}

/// <summary>
/// Runs the open-set protocol of docs/method.md and docs/metrics.md on extracted features: fits every score on the training split,
/// picks each score's threshold (accepting 95% of the known validation samples by default) and its known-class
/// predictor (top-1 or acquaintance, by validation balanced accuracy), then evaluates on the test split.
/// The test split is read only after every choice has been made on the validation split.
/// </summary>
public static class OpenSetEvaluation
{
    /// <summary>Evaluates every requested score.</summary>
    /// <param name="data">Train, validation and test features.</param>
    /// <param name="options">Scores and settings.</param>
    /// <param name="progress">Receives the name of each step as it starts, or null.</param>
    /// <param name="cancellationToken">Checked between scores.</param>
    /// <exception cref="LunaInputException">Inconsistent inputs (the message names the split and the value).</exception>
    public static EvaluationResult Evaluate(EvaluationData data, EvaluationOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EvaluationOptions();
        Check(data);
        var notes = new List<string>();
        int[] trainCounts = data.ResolveTrainCounts();
        int[]? validationTop1 = data.Validation.TopOne();
        int[]? testTop1 = data.Test.TopOne();
        bool haveLogits = data.Train.Logits is not null && data.Validation.Logits is not null && data.Test.Logits is not null;
        if (!haveLogits)
        {
            validationTop1 = null;
            testTop1 = null;
            notes.Add("no logits for every split: logit scores (msp, maxlogit, energy), the top-1 predictor and OLTR's rule are skipped");
        }
        AccuracyMetrics? closedTop1 = testTop1 is null ? null : ClassificationEvaluator.Accuracy(data.Test.Labels, testTop1, trainCounts);

        var training = new ScoringTrainingSet(data.Train.Features, data.Train.Labels, haveLogits ? data.Train.Logits : null) { FeaturesSource = "train features", LabelsSource = "train labels", LogitsSource = "train logits" };
        var validationQuery = new ScoringQuery(data.Validation.Features, haveLogits ? data.Validation.Logits : null) { FeaturesSource = "validation features", LogitsSource = "validation logits" };
        var testQuery = new ScoringQuery(data.Test.Features, haveLogits ? data.Test.Logits : null) { FeaturesSource = "test features", LogitsSource = "test logits" };

        IReadOnlyList<string> names = options.Scores ?? NoveltyScorerRegistry.Names;
        var results = new List<ScoreEvaluation>();
        List<LunaRuleEvaluation>? lunaRules = null;
        ScoreEvaluation? oltr = null;
        foreach (string requested in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NoveltyScorerInfo info = NoveltyScorerRegistry.Describe(requested);
            if (info.NeedsLogits && !haveLogits)
            {
                notes.Add($"{info.Name} skipped: it needs logits");
                continue;
            }
            progress?.Report(info.Name);
            NoveltyScores validationScores;
            NoveltyScores testScores;
            IReadOnlyList<string> warnings;
            if (info.Name == LunaScorer.RegistryName)
            {
                LunaModel model = new LunaScorer(options.Scoring).FitModel(training, cancellationToken);
                validationScores = model.ScoreRule(validationQuery, options.Scoring.Candidates, cancellationToken).ToNoveltyScores();
                LunaAllRules all = model.ScoreAllRules(testQuery, cancellationToken);
                testScores = all[options.Scoring.Candidates]!.ToNoveltyScores();
                lunaRules = EvaluateRules(all, data, trainCounts);
                warnings = model.Warnings;
            }
            else
            {
                IFittedNoveltyScorer fitted = NoveltyScorerRegistry.Create(info.Name, options.Scoring).Fit(training, cancellationToken);
                validationScores = fitted.Score(validationQuery, cancellationToken);
                testScores = fitted.Score(testQuery, cancellationToken);
                warnings = fitted.Warnings;
            }
            ScoreEvaluation evaluation = EvaluateScore(info.Name, validationScores, testScores, validationTop1, testTop1, data, trainCounts, options, warnings);
            results.Add(evaluation);
            if (info.Name == MspScorer.RegistryName)
            {
                oltr = EvaluateOltrRule(evaluation.TestScores, testTop1!, data, trainCounts);
            }
        }
        if (oltr is null && haveLogits)
        {
            IFittedNoveltyScorer msp = new MspScorer(options.Scoring).Fit(training, cancellationToken);
            oltr = EvaluateOltrRule(msp.Score(testQuery, cancellationToken).Scores, testTop1!, data, trainCounts);
        }
        return new EvaluationResult(closedTop1, results, lunaRules, oltr, notes);
    }

    /// <summary>Mean per-class accuracy (balanced accuracy) of <paramref name="predictions"/> on labelled samples.</summary>
    public static double BalancedAccuracy(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions)
        => ClassificationEvaluator.Accuracy(labels, predictions).MeanPerClassAccuracy;

    private static ScoreEvaluation EvaluateScore(
        string name,
        NoveltyScores validation,
        NoveltyScores test,
        int[]? validationTop1,
        int[]? testTop1,
        EvaluationData data,
        int[] trainCounts,
        EvaluationOptions options,
        IReadOnlyList<string> warnings)
    {
        double? top1Accuracy = validationTop1 is null ? null : BalancedAccuracy(data.Validation.Labels, validationTop1);
        double? acquaintanceAccuracy = validation.Acquaintance is { } va ? BalancedAccuracy(data.Validation.Labels, va) : null;
        string? predictor = null;
        int[]? predictions = null;
        if (top1Accuracy is not null && (acquaintanceAccuracy is null || top1Accuracy >= acquaintanceAccuracy))
        {
            predictor = "top1";
            predictions = testTop1;
        }
        else if (acquaintanceAccuracy is not null)
        {
            predictor = "acquaintance";
            predictions = test.Acquaintance;
        }

        Thresholds thresholds;
        if (options.PerClassThresholds && validation.Acquaintance is not null && test.Acquaintance is not null)
        {
            thresholds = Thresholds.FromValidationPerClass(validation.Scores, validation.Acquaintance, options.AcceptFraction);
        }
        else
        {
            thresholds = Thresholds.FromValidation(validation.Scores, options.AcceptFraction);
        }
        MetricsReport report = OpenSetEvaluator.Evaluate(new OpenSetEvaluationInput(test.Scores, data.Test.Labels)
        {
            Predictions = predictions,
            TrainingCounts = trainCounts,
            Groups = data.TestGroups,
            UnknownClasses = data.TestUnknownClasses,
            Thresholds = thresholds,
            ThresholdClasses = thresholds.IsPerClass ? test.Acquaintance : null,
            Calibration = new UnfamiliarityCalibration(validation.Scores),
        });
        AccuracyMetrics? acquaintanceClosed = test.Acquaintance is { } ta ? ClassificationEvaluator.Accuracy(data.Test.Labels, ta, trainCounts) : null;
        return new ScoreEvaluation(name, predictor, top1Accuracy, acquaintanceAccuracy, report, acquaintanceClosed, warnings)
        {
            TestScores = test.Scores,
            TestAcquaintance = test.Acquaintance,
            ValidationScores = validation.Scores,
        };
    }

    private static ScoreEvaluation EvaluateOltrRule(double[] mspScores, int[] testTop1, EvaluationData data, int[] trainCounts)
    {
        // Reject when max softmax probability < 0.1, i.e. when msp = 1 - p > 0.9.
        Thresholds thresholds = Thresholds.Fixed(1.0 - EvaluationOptions.Defaults.OltrProbability);
        MetricsReport report = OpenSetEvaluator.Evaluate(new OpenSetEvaluationInput(mspScores, data.Test.Labels)
        {
            Predictions = testTop1,
            TrainingCounts = trainCounts,
            Groups = data.TestGroups,
            UnknownClasses = data.TestUnknownClasses,
            Thresholds = thresholds,
        });
        return new ScoreEvaluation("msp-oltr", "top1", null, null, report, null, [])
        {
            TestScores = mspScores,
        };
    }

    private static List<LunaRuleEvaluation> EvaluateRules(LunaAllRules all, EvaluationData data, int[] trainCounts)
    {
        var list = new List<LunaRuleEvaluation>();
        foreach (LunaRuleScores? rule in new[] { all.Neighbours, all.Top1, all.All })
        {
            if (rule is null)
            {
                continue;
            }
            MetricsReport report = OpenSetEvaluator.Evaluate(new OpenSetEvaluationInput(rule.Factors, data.Test.Labels) { Groups = data.TestGroups });
            int fellBack = 0;
            foreach (bool f in rule.FellBack)
            {
                fellBack += f ? 1 : 0;
            }
            list.Add(new LunaRuleEvaluation(
                rule.Rule.ToString().ToLowerInvariant(),
                report.Detection,
                ClassificationEvaluator.Accuracy(data.Test.Labels, rule.Acquaintance, trainCounts),
                fellBack));
        }
        return list;
    }

    private static void Check(EvaluationData data)
    {
        CheckSplit("train", data.Train, data.ClassNames.Count, allowUnknown: false);
        CheckSplit("validation", data.Validation, data.ClassNames.Count, allowUnknown: false);
        CheckSplit("test", data.Test, data.ClassNames.Count, allowUnknown: true);
        int d = data.Train.Features.Columns;
        foreach ((string name, FeatureSplit split) in new[] { ("validation", data.Validation), ("test", data.Test) })
        {
            if (split.Features.Columns != d)
            {
                throw new LunaInputException($"{name} features: dimension {split.Features.Columns} differs from the training features' {d}");
            }
        }
        if (data.TestGroups is { } g && g.Length != data.Test.Labels.Length)
        {
            throw new LunaInputException($"test groups: {g.Length} entries for {data.Test.Labels.Length} test samples");
        }
        if (data.TestUnknownClasses is { } u && u.Length != data.Test.Labels.Length)
        {
            throw new LunaInputException($"test unknown classes: {u.Length} entries for {data.Test.Labels.Length} test samples");
        }
        if (data.TrainCounts is { } c && c.Length != data.ClassNames.Count)
        {
            throw new LunaInputException($"train counts: {c.Length} counts for {data.ClassNames.Count} classes");
        }
    }

    private static void CheckSplit(string name, FeatureSplit split, int classes, bool allowUnknown)
    {
        if (split.Labels.Length != split.Features.Rows)
        {
            throw new LunaInputException($"{name} labels: {split.Labels.Length} labels for {split.Features.Rows} feature rows");
        }
        if (split.Logits is { } logits)
        {
            if (logits.Rows != split.Features.Rows)
            {
                throw new LunaInputException($"{name} logits: {logits.Rows} rows for {split.Features.Rows} feature rows");
            }
            if (logits.Columns != classes)
            {
                throw new LunaInputException($"{name} logits: {logits.Columns} columns for {classes} classes");
            }
        }
        for (int i = 0; i < split.Labels.Length; i++)
        {
            int label = split.Labels[i];
            if (label >= classes || label < (allowUnknown ? -1 : 0))
            {
                throw new LunaInputException($"{name} labels: value {label} at index {i} is outside {(allowUnknown ? "-1" : "0")}..{classes - 1}");
            }
        }
    }
}
