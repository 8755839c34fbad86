using System.CommandLine;
using System.Globalization;
using Luna.Core;
using Luna.Core.Data;
using Luna.Core.IO;
using Luna.Core.Metrics;
using Luna.Core.Scoring;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna metrics</c>: every metric of docs/metrics.md that the given inputs allow, written as JSON
/// (see docs/metrics.md for the definitions and docs/cli.md for the options).
/// </summary>
internal static class MetricsCommand
{
    internal static Command Create()
    {
        var scores = new Option<string>("--scores") { Description = "Scores CSV of the test queries (index,score,acquaintance; higher = more novel).", Required = true, HelpName = "S.csv" };
        var labels = new Option<string>("--labels") { Description = "True label of each query (.npy or CSV), -1 for unknown.", Required = true, HelpName = "Y.npy" };
        var predictions = new Option<string?>("--predictions") { Description = "Predicted class of each query (.npy or CSV); -1 = already rejected.", HelpName = "P.npy" };
        var trainCounts = new Option<string?>("--train-counts") { Description = "Training images per class: CSV 'class,count' with header, one count per line, or .npy.", HelpName = "C.csv" };
        var groups = new Option<string?>("--groups") { Description = "Group of each query: CSV 'index,group[,class]' with header, or one group name per line (known/near/far/cross or any name).", HelpName = "G.csv" };
        var threshold = new Option<double?>("--threshold") { Description = "Reject a query as unknown when its score > T (overrides a threshold chosen on --validation-scores).", HelpName = "T" };
        var validation = new Option<string?>("--validation-scores") { Description = "Scores CSV of known-only validation samples: chooses the threshold (unless --threshold) and calibrates percentiles.", HelpName = "V.csv" };
        var acceptFraction = new Option<double>("--accept-fraction") { Description = "Fraction of validation samples the chosen threshold accepts.", DefaultValueFactory = _ => Thresholds.DefaultAcceptFraction, HelpName = "q" };
        var perClass = new Option<bool>("--per-class-thresholds") { Description = "One threshold per predicted class (the acquaintance column of both scores files); classes without validation samples use the global one." };
        var output = new Option<string>("--out") { Description = "Output JSON file (written atomically).", Required = true, HelpName = "M.json" };

        var command = new Command("metrics", "Closed-set, open-set, detection and unfamiliarity metrics of scored test queries.")
        {
            scores, labels, predictions, trainCounts, groups, threshold, validation, acceptFraction, perClass, output,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            var options = new MetricsOptions(
                parse.GetRequiredValue(scores),
                parse.GetRequiredValue(labels),
                parse.GetValue(predictions),
                parse.GetValue(trainCounts),
                parse.GetValue(groups),
                parse.GetValue(threshold),
                parse.GetValue(validation),
                parse.GetValue(acceptFraction),
                parse.GetValue(perClass),
                parse.GetRequiredValue(output));
            return CommandRunner.RunAsync(stderr, ct => Run(options, stdout, ct), cancellationToken);
        });
        return command;
    }

    private sealed record MetricsOptions(
        string Scores,
        string Labels,
        string? Predictions,
        string? TrainCounts,
        string? Groups,
        double? Threshold,
        string? ValidationScores,
        double AcceptFraction,
        bool PerClassThresholds,
        string Output);

    private static int Run(MetricsOptions o, TextWriter stdout, CancellationToken cancellationToken)
    {
        CheckOptions(o);
        NoveltyScores scores = ScoreFile.Read(o.Scores);
        int n = scores.Scores.Length;
        int[] labels = LabelFile.Read(o.Labels);
        CheckCount(o.Labels, labels.Length, "labels", o.Scores, n);
        int unknown = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < -1)
            {
                throw LunaInputException.InFile(o.Labels, $"value {labels[i]} at index {i} is not a class (≥ 0) or -1 (unknown)");
            }
            unknown += labels[i] == -1 ? 1 : 0;
        }
        if (unknown == 0)
        {
            throw LunaInputException.InFile(o.Labels, $"no label is -1 among its {n} values; AUROC and the other detection metrics need unknown test samples");
        }
        if (unknown == n)
        {
            throw LunaInputException.InFile(o.Labels, $"all {n} labels are -1; AUROC and the other detection metrics need known test samples");
        }
        cancellationToken.ThrowIfCancellationRequested();

        int[]? trainCounts = o.TrainCounts is null ? null : TrainCountsFile.Read(o.TrainCounts);
        if (trainCounts is not null)
        {
            for (int i = 0; i < n; i++)
            {
                if (labels[i] >= trainCounts.Length)
                {
                    throw LunaInputException.InFile(o.Labels, $"value {labels[i]} at index {i} has no training count in {o.TrainCounts} (classes 0..{trainCounts.Length - 1})");
                }
            }
        }

        int[]? predictions = null;
        if (o.Predictions is not null)
        {
            predictions = LabelFile.Read(o.Predictions);
            CheckCount(o.Predictions, predictions.Length, "predictions", o.Scores, n);
            for (int i = 0; i < n; i++)
            {
                int p = predictions[i];
                if (p < -1 || (trainCounts is not null && p >= trainCounts.Length))
                {
                    string range = trainCounts is null ? "a class (≥ 0)" : $"a class of {o.TrainCounts} (0..{trainCounts.Length - 1})";
                    throw LunaInputException.InFile(o.Predictions, $"value {p} at index {i} is not {range} or -1 (rejected)");
                }
            }
        }

        GroupAssignments? groupFile = null;
        if (o.Groups is not null)
        {
            groupFile = GroupFile.Read(o.Groups);
            CheckCount(o.Groups, groupFile.Groups.Length, "group rows", o.Scores, n);
            for (int i = 0; i < n; i++)
            {
                string? g = groupFile.Groups[i];
                int line = groupFile.FirstDataLine + i;
                if (labels[i] >= 0 && g is not null && g != UnknownGroups.Known)
                {
                    throw LunaInputException.InFile(o.Groups, $"line {line}: value '{g}' is the group of sample {i}, whose label in {o.Labels} is {labels[i]} (known); known samples take '{UnknownGroups.Known}' or an empty group");
                }
                if (labels[i] == -1 && (g is null || g == UnknownGroups.Known))
                {
                    string shown = g ?? string.Empty;
                    throw LunaInputException.InFile(o.Groups, $"line {line}: value '{shown}' is the group of sample {i}, whose label in {o.Labels} is -1 (unknown); unknown samples need a group such as near, far or cross");
                }
            }
        }

        NoveltyScores? validation = o.ValidationScores is null ? null : ScoreFile.Read(o.ValidationScores);
        if (validation is not null && validation.Scores.Length == 0)
        {
            throw LunaInputException.InFile(o.ValidationScores!, "holds no scores; a threshold needs known validation samples");
        }
        Thresholds? thresholds = null;
        int[]? thresholdClasses = null;
        if (o.Threshold is { } fixedThreshold)
        {
            thresholds = Thresholds.Fixed(fixedThreshold);
        }
        else if (validation is not null)
        {
            if (o.PerClassThresholds)
            {
                int[] validationClasses = validation.Acquaintance
                    ?? throw LunaInputException.InFile(o.ValidationScores!, "column 'acquaintance' is empty in every row; --per-class-thresholds needs the predicted class of each validation sample");
                thresholdClasses = scores.Acquaintance
                    ?? throw LunaInputException.InFile(o.Scores, "column 'acquaintance' is empty in every row; --per-class-thresholds needs the predicted class of each test query");
                thresholds = Thresholds.FromValidationPerClass(validation.Scores, validationClasses, o.AcceptFraction);
            }
            else
            {
                thresholds = Thresholds.FromValidation(validation.Scores, o.AcceptFraction);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        var input = new OpenSetEvaluationInput(scores.Scores, labels)
        {
            Predictions = predictions,
            TrainingCounts = trainCounts,
            Groups = groupFile?.Groups,
            UnknownClasses = groupFile?.Classes,
            Thresholds = thresholds,
            ThresholdClasses = thresholdClasses,
            Calibration = validation is null ? null : new UnfamiliarityCalibration(validation.Scores),
        };
        var inputs = new Dictionary<string, string> { ["scores"] = o.Scores, ["labels"] = o.Labels };
        AddIf(inputs, "predictions", o.Predictions);
        AddIf(inputs, "trainCounts", o.TrainCounts);
        AddIf(inputs, "groups", o.Groups);
        AddIf(inputs, "validationScores", o.ValidationScores);
        MetricsReport report = OpenSetEvaluator.Evaluate(input) with { Inputs = inputs };
        cancellationToken.ThrowIfCancellationRequested();
        AtomicFile.WriteAllText(o.Output, report.ToJson() + "\n");
        WriteSummary(report, o.Output, stdout);
        return ExitCodes.Ok;
    }

    private static void CheckOptions(MetricsOptions o)
    {
        if (o.Threshold is { } t && !double.IsFinite(t))
        {
            throw new LunaInputException($"--threshold: value {t.ToString(CultureInfo.InvariantCulture)} is not a finite number");
        }
        if (!(o.AcceptFraction > 0.0 && o.AcceptFraction <= 1.0))
        {
            throw new LunaInputException($"--accept-fraction: value {o.AcceptFraction.ToString(CultureInfo.InvariantCulture)} is not in (0, 1]");
        }
        if (o.PerClassThresholds && o.ValidationScores is null)
        {
            throw new LunaInputException("--per-class-thresholds: needs --validation-scores to choose the thresholds on");
        }
        if (o.PerClassThresholds && o.Threshold is not null)
        {
            throw new LunaInputException("--per-class-thresholds: cannot be combined with the single fixed --threshold");
        }
    }

    private static void CheckCount(string path, int count, string what, string scoresPath, int n)
    {
        if (count != n)
        {
            throw LunaInputException.InFile(path, $"has {count} {what}, but {scoresPath} has {n} scores; both must describe the same queries in the same order");
        }
    }

    private static void AddIf(Dictionary<string, string> inputs, string key, string? value)
    {
        if (value is not null)
        {
            inputs[key] = value;
        }
    }

    private static void WriteSummary(MetricsReport r, string outputPath, TextWriter w)
    {
        static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        static string Detection(DetectionMetrics d)
            => $"AUROC {F(d.Auroc)}  AUPR-In {F(d.AuprIn)}  AUPR-Out {F(d.AuprOut)}  FPR@95TPR {F(d.FprAt95Tpr)}";
        static string Accuracy(AccuracyMetrics a)
        {
            string text = $"{F(a.Accuracy)} (mean per class {F(a.MeanPerClassAccuracy)}";
            if (a.Many is { } many)
            {
                text += $", many {F(many.Accuracy)}";
            }
            if (a.Medium is { } medium)
            {
                text += $", medium {F(medium.Accuracy)}";
            }
            if (a.Few is { } few)
            {
                text += $", few {F(few.Accuracy)}";
            }
            return text + ")";
        }

        w.WriteLine($"samples: {r.Samples.Total} ({r.Samples.Known} known, {r.Samples.Unknown} unknown)");
        w.WriteLine($"detection (unknown = positive): {Detection(r.Detection.Overall)}");
        if (r.Detection.Groups is { } groups)
        {
            foreach ((string name, DetectionMetrics d) in groups)
            {
                w.WriteLine($"  {name} ({d.Unknown}): {Detection(d)}");
            }
        }
        if (r.ClosedSet is { } closed)
        {
            w.WriteLine($"closed-set accuracy: {Accuracy(closed)}");
        }
        if (r.Thresholds is { } t)
        {
            string how = t.AcceptFraction is { } q
                ? $"accepting {q.ToString(CultureInfo.InvariantCulture)} of {t.ValidationSamples} validation samples" + (t.PerClass is { } pc ? $", {pc.Count} per-class thresholds" : string.Empty)
                : "given";
            w.WriteLine($"threshold: {t.Global.ToString("G6", CultureInfo.InvariantCulture)} ({how}); reject when score > threshold");
        }
        if (r.OpenSet is { } open)
        {
            RejectionCounts rc = open.Rejection;
            w.WriteLine($"rejected: {rc.KnownRejected} of {rc.Known} known, {rc.UnknownRejected} of {rc.Unknown} unknown ({open.RejectionSource})");
            if (open.Accuracy is { } oa)
            {
                w.WriteLine($"open-set accuracy: {Accuracy(oa)}");
            }
            if (open.FMeasure is { } f)
            {
                string recall = f.Recall is { } rv ? F(rv) : "n/a";
                w.WriteLine($"open-set F-measure: {F(f.FMeasure)} (precision {F(f.Precision)}, recall {recall})");
            }
        }
        w.WriteLine($"unfamiliarity: {r.Unfamiliarity.Verdict}");
        w.WriteLine($"wrote {outputPath}");
    }
}
