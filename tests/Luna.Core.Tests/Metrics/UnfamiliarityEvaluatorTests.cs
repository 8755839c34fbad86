using Luna.Core.Metrics;

namespace Luna.Core.Tests.Metrics;

public class UnfamiliarityEvaluatorTests
{
    [Fact]
    public void The_verdict_says_where_the_expected_order_breaks()
    {
        // known {1, 1, 2} mean 4/3; near {2, 3} mean 2.5; far {2} mean 2: near ≥ far, so the order fails.
        double[] scores = { 1, 1, 2, 2, 3, 2 };
        int[] labels = { 0, 1, 0, -1, -1, -1 };
        string?[] groups = { null, "known", "", "near", "Near", "far" };

        UnfamiliarityMetrics u = UnfamiliarityEvaluator.Evaluate(scores, labels, groups);

        Assert.Equal(new[] { "known", "near", "far" }, u.Groups.Keys);
        Assert.Equal(4.0 / 3.0, u.Groups["known"].MeanScore, 15);
        Assert.Equal(2.5, u.Groups["near"].MeanScore);
        Assert.Equal("known < near < far", u.ExpectedOrder);
        Assert.False(u.OrderHolds);
        Assert.Contains("near 2.5 ≥ far 2", u.Verdict);
        Assert.Equal(6, u.SpearmanSamples);
    }

    [Fact]
    public void The_verdict_holds_when_the_means_rise_and_spearman_is_computed_on_the_hierarchy_distance()
    {
        // Distances 0, 0, 1, 2, 3 against scores rising in the same order: rho = 1 on the ranks (ties in distance 0 and in score 1).
        double[] scores = { 1, 1, 2, 3, 4 };
        int[] labels = { 0, 0, -1, -1, -1 };
        string?[] groups = { null, null, "near", "far", "cross" };

        UnfamiliarityMetrics u = UnfamiliarityEvaluator.Evaluate(scores, labels, groups, new string?[] { null, null, "Shirt", "Bag", "digit" });

        Assert.True(u.OrderHolds);
        Assert.Equal(1.0, u.Spearman!.Value, 15);
        Assert.StartsWith("The mean score rises in the expected order: known 1 < near 2 < far 3 < cross 4", u.Verdict);
        Assert.Equal(new UnknownClassScore("far", 1, 3.0, null), u.UnknownClasses!["Bag"]);
    }

    [Fact]
    public void Without_groups_the_order_is_not_checked_and_the_verdict_says_so()
    {
        UnfamiliarityMetrics u = UnfamiliarityEvaluator.Evaluate(new[] { 1.0, 2.0 }, new[] { 0, -1 });
        Assert.Null(u.OrderHolds);
        Assert.Null(u.Spearman);
        Assert.Equal(new[] { "known", "unknown" }, u.Groups.Keys);
        Assert.Contains("cannot be checked", u.Verdict);
    }

    [Fact]
    public void A_known_sample_in_an_unknown_group_is_an_error_naming_the_sample()
    {
        var ex = Assert.Throws<LunaInputException>(() => UnfamiliarityEvaluator.Evaluate(new[] { 1.0, 2.0 }, new[] { 3, -1 }, new string?[] { "near", "far" }));
        Assert.Contains("sample 0 has label 3 (known) but group 'near'", ex.Message);
    }

    [Fact]
    public void An_unknown_class_in_two_groups_is_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => UnfamiliarityEvaluator.Evaluate(
            new[] { 1.0, 2.0, 3.0 }, new[] { 0, -1, -1 }, new string?[] { null, "near", "far" }, new string?[] { null, "Bag", "Bag" }));
        Assert.Contains("class 'Bag' appears in group 'near' and in group 'far'", ex.Message);
    }
}
