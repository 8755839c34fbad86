using System.Globalization;
using Luna.Core.Evaluation;
using Luna.Core.IO;
using Luna.Core.Metrics;
using Luna.Core.Reporting;
using Luna.Cli.Reporting;

namespace Luna.Cli.Pipeline;

/// <summary>Writes <c>report.md</c>, <c>metrics.json</c> and the plots of a set of runs into an output folder.</summary>
internal static class RunReport
{
    /// <summary>
    /// Writes the report files; returns the plot file names relative to <paramref name="directory"/>. With
    /// <paramref name="seeded"/> the runs are seeds of trained models (the demo), else one evaluation each (evaluate);
    /// <paramref name="rowHeader"/> says what the runs' labels are (see <see cref="MarkdownReport.Build"/>).
    /// </summary>
    public static IReadOnlyList<string> Write(
        string directory, string benchmark, string title, IReadOnlyList<string> preamble, IReadOnlyList<RunResult> runs,
        IReadOnlyDictionary<string, EvaluationData> dataByLoss, string rowHeader = "loss", bool seeded = true)
    {
        var plots = new List<string>();
        foreach ((string loss, EvaluationData data) in dataByLoss)
        {
            RunResult run = runs.First(r => r.Loss == loss);
            string caption = seeded ? $"{loss}, seed {run.Seed.ToString(CultureInfo.InvariantCulture)}" : loss;
            plots.AddRange(Plots(directory, loss, caption, run, data));
        }
        var lines = new List<string>(preamble) { string.Empty, seeded ? "Plots (first seed of each loss):" : "Plots:", string.Empty };
        foreach (string plot in plots)
        {
            lines.Add($"- [{plot}]({plot})");
        }
        string markdown = MarkdownReport.Build(title, lines, runs, rowHeader, seeded);
        AtomicFile.WriteAllText(Path.Combine(directory, "report.md"), markdown);
        AtomicFile.WriteAllText(Path.Combine(directory, "metrics.json"), MetricsSummary.Create(benchmark, runs).ToJson() + "\n");
        return plots;
    }

    private static IEnumerable<string> Plots(string directory, string loss, string caption, RunResult run, EvaluationData data)
    {
        string[] groups = UnknownGroups.Resolve(data.Test.Labels, data.TestGroups);
        if (run.Evaluation.Find("luna") is { } luna)
        {
            string name = $"plots/luna-factor-{loss}.png";
            ReportPlots.FactorHistograms(Path.Combine(directory, name), luna.TestScores, groups, $"LUNA factor of the test images ({caption})");
            yield return name;
        }
        var curves = run.Evaluation.Scores.Select(s => (s.Score, s.TestScores)).ToList();
        if (curves.Count > 0)
        {
            string name = $"plots/roc-{loss}.png";
            ReportPlots.RocCurves(Path.Combine(directory, name), curves, data.Test.Labels, $"ROC, unknown = positive ({caption})");
            yield return name;
        }
        var predictors = new List<(string, AccuracyMetrics)>();
        if (run.Evaluation.ClosedSetTop1 is { } top1)
        {
            predictors.Add(("classifier top-1", top1));
        }
        if (run.Evaluation.Find("luna")?.AcquaintanceClosedSet is { } acquaintance)
        {
            predictors.Add(("LUNA acquaintance", acquaintance));
        }
        if (predictors.Count > 0)
        {
            string name = $"plots/accuracy-by-count-{loss}.png";
            ReportPlots.AccuracyByTrainingCount(Path.Combine(directory, name), data.ResolveTrainCounts(), data.ClassNames, predictors, $"Per-class accuracy against training images ({caption})");
            yield return name;
        }
    }
}
