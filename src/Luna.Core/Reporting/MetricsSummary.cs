using System.Text.Json;
using Luna.Core.Evaluation;
using Luna.Core.Metrics;

namespace Luna.Core.Reporting;

/// <summary>
/// The <c>metrics.json</c> of a benchmark run: every run's full evaluation, plus a summary over seeds of the headline
/// numbers per loss and score (<c>summary[loss][score][metric] = {mean, std, count}</c>).
/// </summary>
/// <param name="Benchmark">The benchmark or data name.</param>
/// <param name="Convention">The sign and positive-class convention.</param>
/// <param name="Summary">loss → score → metric → mean ± std over seeds.</param>
/// <param name="Runs">Every run, in the order run.</param>
public sealed record MetricsSummary(
    string Benchmark,
    string Convention,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, SeedSummary>>> Summary,
    IReadOnlyList<RunResult> Runs)
{
    /// <summary>The metric names of the summary and how each is read from one score's evaluation.</summary>
    public static IReadOnlyList<(string Name, Func<ScoreEvaluation, double?> Get)> Metrics { get; } =
    [
        ("auroc", s => s.Metrics.Detection.Overall.Auroc),
        ("auprIn", s => s.Metrics.Detection.Overall.AuprIn),
        ("auprOut", s => s.Metrics.Detection.Overall.AuprOut),
        ("fprAt95Tpr", s => s.Metrics.Detection.Overall.FprAt95Tpr),
        ("aurocNear", s => Group(s, UnknownGroups.Near)),
        ("aurocFar", s => Group(s, UnknownGroups.Far)),
        ("aurocCross", s => Group(s, UnknownGroups.Cross)),
        ("closedSetAccuracy", s => s.Metrics.ClosedSet?.Accuracy),
        ("closedSetFewShot", s => s.Metrics.ClosedSet?.Few?.Accuracy),
        ("openSetAccuracy", s => s.Metrics.OpenSet?.Accuracy?.Accuracy),
        ("openSetFMeasure", s => s.Metrics.OpenSet?.FMeasure?.FMeasure),
        ("spearman", s => s.Metrics.Unfamiliarity.Spearman),
    ];

    /// <summary>Builds the summary from the runs.</summary>
    public static MetricsSummary Create(string benchmark, IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var byLoss = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, SeedSummary>>>(StringComparer.Ordinal);
        foreach (string loss in runs.Select(r => r.Loss).Distinct())
        {
            RunResult[] lossRuns = runs.Where(r => r.Loss == loss).ToArray();
            var byScore = new Dictionary<string, IReadOnlyDictionary<string, SeedSummary>>(StringComparer.Ordinal);
            IEnumerable<string> scores = lossRuns.SelectMany(r => r.Evaluation.Scores.Select(s => s.Score)).Distinct();
            foreach (string score in scores.Append("msp-oltr"))
            {
                ScoreEvaluation?[] evaluations = lossRuns.Select(r => score == "msp-oltr" ? r.Evaluation.OltrRule : r.Evaluation.Find(score)).ToArray();
                var metrics = new Dictionary<string, SeedSummary>(StringComparer.Ordinal);
                foreach ((string name, Func<ScoreEvaluation, double?> get) in Metrics)
                {
                    if (SeedSummary.Of(evaluations.Select(e => e is null ? null : get(e))) is SeedSummary summary)
                    {
                        metrics[name] = summary;
                    }
                }
                if (metrics.Count > 0)
                {
                    byScore[score] = metrics;
                }
            }
            byLoss[loss] = byScore;
        }
        return new MetricsSummary(benchmark, OpenSetEvaluator.Convention, byLoss, runs);
    }

    /// <summary>The summary as indented camelCase JSON (the options of <see cref="MetricsJson"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, MetricsJson.Options);

    private static double? Group(ScoreEvaluation s, string group)
        => s.Metrics.Detection.Groups is { } g && g.TryGetValue(group, out DetectionMetrics? m) ? m.Auroc : null;
}
