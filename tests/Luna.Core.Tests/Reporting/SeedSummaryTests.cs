using Luna.Core.Reporting;

namespace Luna.Core.Tests.Reporting;

public class SeedSummaryTests
{
    [Fact]
    public void Mean_and_sample_standard_deviation_match_numpy_with_ddof_one()
    {
        // numpy: np.mean([1, 2, 4]) = 2.3333333333333335, np.std([1, 2, 4], ddof=1) = 1.5275252316519468
        SeedSummary s = SeedSummary.Of([1.0, 2.0, 4.0])!.Value;
        Assert.Equal(2.3333333333333335, s.Mean, 12);
        Assert.Equal(1.5275252316519468, s.Std!.Value, 12);
        Assert.Equal(3, s.Count);
        Assert.Equal("2.333 ± 1.528", s.Format());
    }

    [Fact]
    public void Missing_values_are_left_out_and_one_value_has_no_spread()
    {
        SeedSummary s = SeedSummary.Of([null, 0.5, double.NaN])!.Value;
        Assert.Equal(0.5, s.Mean);
        Assert.Null(s.Std);
        Assert.Equal("0.50", s.Format(2));
    }

    [Fact]
    public void No_values_give_no_summary()
    {
        Assert.Null(SeedSummary.Of([null, null]));
    }
}
