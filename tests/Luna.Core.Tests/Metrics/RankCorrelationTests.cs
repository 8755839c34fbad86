using Luna.Core.Metrics;

namespace Luna.Core.Tests.Metrics;

public class RankCorrelationTests
{
    public static IEnumerable<object[]> SpearmanCases => MetricsFixture.CaseIndices("spearman");

    [Theory]
    [MemberData(nameof(SpearmanCases))]
    public void Spearman_equals_scipy_with_ties(int index)
    {
        var c = MetricsFixture.Expected.GetProperty("spearman")[index];
        double[] x = MetricsFixture.Doubles(c.GetProperty("x"));
        double[] y = MetricsFixture.Doubles(c.GetProperty("y"));

        double? rho = RankCorrelation.Spearman(x, y);

        Assert.NotNull(rho);
        Assert.Equal(MetricsFixture.Number(c, "rho"), rho!.Value, 12);
    }

    [Theory]
    [MemberData(nameof(SpearmanCases))]
    public void Average_ranks_equal_scipy_rankdata(int index)
    {
        var c = MetricsFixture.Expected.GetProperty("spearman")[index];
        double[] x = MetricsFixture.Doubles(c.GetProperty("x"));
        Assert.Equal(MetricsFixture.Doubles(c.GetProperty("ranksOfX")), RankCorrelation.AverageRanks(x));
    }

    [Fact]
    public void Tied_values_share_the_mean_of_their_ranks()
    {
        // 10 is rank 1; the three 20s span ranks 2, 3, 4 -> 3 each; 30 is rank 5.
        Assert.Equal(new[] { 3.0, 1.0, 5.0, 3.0, 3.0 }, RankCorrelation.AverageRanks(new[] { 20.0, 10.0, 30.0, 20.0, 20.0 }));
    }

    [Fact]
    public void Spearman_of_a_constant_variable_is_undefined()
    {
        Assert.Null(RankCorrelation.Spearman(new[] { 1.0, 1.0, 1.0 }, new[] { 1.0, 2.0, 3.0 }));
    }

    [Fact]
    public void Spearman_of_a_monotone_relation_is_one()
    {
        Assert.Equal(1.0, RankCorrelation.Spearman(new[] { 1.0, 2.0, 3.0, 10.0 }, new[] { 0.0, 0.5, 7.0, 8.0 }));
    }
}
