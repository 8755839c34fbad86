using Luna.Core.Evaluation;
using Luna.Core.Reporting;
using Luna.Core.Tests.Evaluation;

namespace Luna.Core.Tests.Reporting;

public class MarkdownReportTests
{
    private static readonly RunResult[] s_runs =
    [
        new("wcenter", 0, OpenSetEvaluation.Evaluate(SyntheticOpenSet.Create(seed: 1))),
        new("wcenter", 1, OpenSetEvaluation.Evaluate(SyntheticOpenSet.Create(seed: 2))),
    ];

    private static readonly string s_report = MarkdownReport.Build("Title", ["preamble line"], s_runs);

    [Fact]
    public void Every_table_of_the_report_is_present_with_its_explaining_sentence()
    {
        foreach (string heading in new[] { "## Closed-set accuracy", "## Open-set accuracy and F-measure", "## Known/unknown detection", "## Detection per unknown group", "## LUNA's candidate rules", "## Unfamiliarity level" })
        {
            int at = s_report.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(at >= 0, heading);
            string after = s_report[(at + heading.Length)..].TrimStart();
            Assert.False(after.StartsWith('|'), $"{heading} has no sentence before its table");
        }
        Assert.StartsWith("# Title", s_report);
        Assert.Contains("preamble line", s_report);
    }

    [Fact]
    public void A_detection_cell_is_the_mean_and_spread_over_the_seeds()
    {
        double[] auroc = s_runs.Select(r => r.Evaluation.Find("luna")!.Metrics.Detection.Overall.Auroc).ToArray();
        string expected = SeedSummary.Of(auroc.Select(a => (double?)a))!.Value.Format();
        Assert.Contains($"| wcenter | luna | {expected} |", s_report);
    }

    [Fact]
    public void The_unfamiliarity_row_counts_the_seeds_where_the_order_held()
    {
        int held = s_runs.Count(r => r.Evaluation.Find("luna")!.Metrics.Unfamiliarity.OrderHolds == true);
        Assert.Contains($"{held} of 2 seeds", s_report);
    }

    [Fact]
    public void One_evaluation_of_a_model_is_reported_without_seeds_under_the_given_row_header()
    {
        RunResult run = s_runs[0] with { Loss = "photos" };

        string report = MarkdownReport.Build("Title", [], [run], rowHeader: "model", seeded: false);

        Assert.Contains("Every number is from one evaluation of the features.", report);
        Assert.DoesNotContain("seed", report, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("| model | predictor | overall |", report);
        Assert.Contains("| model | score | AUROC |", report);
        Assert.Contains("| photos | luna |", report);
        bool? holds = run.Evaluation.Find("luna")!.Metrics.Unfamiliarity.OrderHolds;
        Assert.Contains($" | {(holds == true ? "yes" : "no")} |", report);
    }

    [Fact]
    public void The_metrics_summary_agrees_with_the_report()
    {
        MetricsSummary summary = MetricsSummary.Create("synthetic", s_runs);
        SeedSummary auroc = summary.Summary["wcenter"]["luna"]["auroc"];
        Assert.Equal(2, auroc.Count);
        Assert.Contains($"| wcenter | luna | {auroc.Format()} |", s_report);
        Assert.Contains("\"summary\"", summary.ToJson());
    }
}
