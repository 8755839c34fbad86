using Luna.Core.Metrics;

namespace Luna.Core.Tests.Metrics;

public class DetectionEvaluatorTests
{
    private const double Tolerance = 1e-12;

    public static IEnumerable<object[]> DetectionCases => MetricsFixture.CaseIndices("detection");

    [Theory]
    [MemberData(nameof(DetectionCases))]
    public void Auroc_and_aupr_equal_scikit_learn_on_data_with_ties(int index)
    {
        var c = MetricsFixture.Expected.GetProperty("detection")[index];
        double[] scores = MetricsFixture.Doubles(c.GetProperty("scores"));
        bool[] unknown = MetricsFixture.Bools(c.GetProperty("isUnknown"));

        DetectionMetrics m = DetectionEvaluator.Evaluate(scores, unknown);

        string name = c.GetProperty("name").GetString()!;
        Assert.True(Math.Abs(MetricsFixture.Number(c, "auroc") - m.Auroc) <= Tolerance, $"{name}: AUROC {m.Auroc}");
        Assert.True(Math.Abs(MetricsFixture.Number(c, "auprOut") - m.AuprOut) <= Tolerance, $"{name}: AUPR-Out {m.AuprOut}");
        Assert.True(Math.Abs(MetricsFixture.Number(c, "auprIn") - m.AuprIn) <= Tolerance, $"{name}: AUPR-In {m.AuprIn}");
        Assert.Equal(c.GetProperty("known").GetInt32(), m.Known);
        Assert.Equal(c.GetProperty("unknown").GetInt32(), m.Unknown);
    }

    [Theory]
    [MemberData(nameof(DetectionCases))]
    public void Fpr_at_95_tpr_equals_the_first_roc_point_of_scikit_learn_with_tpr_at_least_95_percent(int index)
    {
        var c = MetricsFixture.Expected.GetProperty("detection")[index];
        double[] scores = MetricsFixture.Doubles(c.GetProperty("scores"));
        bool[] unknown = MetricsFixture.Bools(c.GetProperty("isUnknown"));

        DetectionMetrics m = DetectionEvaluator.Evaluate(scores, unknown);

        Assert.Equal(MetricsFixture.Number(c, "fprAt95Tpr"), m.FprAt95Tpr, 15);
        Assert.Equal(MetricsFixture.Number(c, "thresholdAt95Tpr"), m.ThresholdAt95Tpr);
    }

    [Fact]
    public void Auroc_counts_a_tied_pair_as_one_half()
    {
        // Known scores {1, 2, 2}, unknown scores {2, 3}. Pairs (unknown, known):
        // 2 vs 1 wins (1), 2 vs 2 ties twice (0.5 + 0.5), 3 beats all three (3): (1 + 1 + 3) / (2·3) = 5/6.
        double[] scores = { 1, 2, 2, 2, 3 };
        int[] labels = { 0, 1, 0, -1, -1 };
        Assert.Equal(5.0 / 6.0, DetectionEvaluator.Evaluate(scores, labels).Auroc, 15);
    }

    [Fact]
    public void Average_precision_treats_a_tie_group_as_one_threshold()
    {
        // Scores descending: 3 (unknown), then a tie at 2 holding 1 unknown and 2 knowns, then 1 (known).
        // Threshold 3: TP 1, FP 0, P = 1, recall step 1/2. Threshold 2: TP 2, FP 2, P = 1/2, recall step 1/2.
        // AP-Out = 1/2·1 + 1/2·1/2 = 0.75.
        double[] scores = { 1, 2, 2, 2, 3 };
        bool[] unknown = { false, false, false, true, true };
        Assert.Equal(0.75, DetectionEvaluator.AveragePrecision(scores, unknown), 15);
    }

    [Fact]
    public void Fpr_at_95_tpr_accepts_19_of_20_knowns_and_counts_unknowns_tied_with_the_threshold_as_accepted()
    {
        // Knowns 1..20: 19/20 = 95%, so tau = 19 (the 19th smallest). Unknowns {3, 18, 19, 19.5, 25}:
        // 3, 18 and 19 (tied with tau) have score ≤ 19, so FPR = 3/5.
        var scores = new List<double>();
        var labels = new List<int>();
        for (int i = 1; i <= 20; i++)
        {
            scores.Add(i);
            labels.Add(0);
        }
        foreach (double u in new[] { 3, 18, 19, 19.5, 25 })
        {
            scores.Add(u);
            labels.Add(-1);
        }
        DetectionMetrics m = DetectionEvaluator.Evaluate(scores.ToArray(), labels.ToArray());
        Assert.Equal(19.0, m.ThresholdAt95Tpr);
        Assert.Equal(0.6, m.FprAt95Tpr, 15);
    }

    [Fact]
    public void Labels_without_unknowns_are_an_error_that_says_auroc_needs_them()
    {
        var ex = Assert.Throws<LunaInputException>(() => DetectionEvaluator.Evaluate(new[] { 0.1, 0.2 }, new[] { 0, 1 }));
        Assert.Contains("none of the 2 samples is unknown", ex.Message);
        Assert.Contains("AUROC", ex.Message);
    }

    [Fact]
    public void Labels_that_are_all_unknown_are_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => DetectionEvaluator.Evaluate(new[] { 0.1, 0.2 }, new[] { -1, -1 }));
        Assert.Contains("all 2 samples are unknown", ex.Message);
    }

    [Fact]
    public void Mismatched_lengths_name_both_counts()
    {
        var ex = Assert.Throws<LunaInputException>(() => DetectionEvaluator.Evaluate(new[] { 0.1, 0.2, 0.3 }, new[] { 0, -1 }));
        Assert.Contains("2 labels for 3 scores", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_score_is_an_error_naming_the_index_and_value(double bad)
    {
        var ex = Assert.Throws<LunaInputException>(() => DetectionEvaluator.Evaluate(new[] { 0.1, bad }, new[] { 0, -1 }));
        Assert.Contains("at index 1", ex.Message);
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void A_label_below_minus_one_is_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => DetectionEvaluator.Evaluate(new[] { 0.1, 0.2 }, new[] { -2, -1 }));
        Assert.Contains("value -2 at index 0", ex.Message);
    }
}
