using Luna.Core.Metrics;

namespace Luna.Core.Tests.Metrics;

public class UnfamiliarityCalibrationTests
{
    [Fact]
    public void Percentiles_equal_scipy_percentileofscore_weak()
    {
        var p = MetricsFixture.Expected.GetProperty("percentiles");
        var calibration = new UnfamiliarityCalibration(MetricsFixture.Doubles(p.GetProperty("validation")));
        double[] factors = MetricsFixture.Doubles(p.GetProperty("factors"));
        double[] expected = MetricsFixture.Doubles(p.GetProperty("percentiles"));

        double[] actual = calibration.Percentiles(factors);

        for (int i = 0; i < factors.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }

    [Fact]
    public void The_percentile_counts_validation_factors_at_or_below_the_factor()
    {
        // Validation {1, 2, 2, 3}: 2 has three values ≤ it -> 75; 0 -> 0; 3 and above -> 100; 2.5 -> 75.
        var calibration = new UnfamiliarityCalibration(new[] { 3.0, 2.0, 1.0, 2.0 });
        Assert.Equal(75.0, calibration.Percentile(2.0));
        Assert.Equal(0.0, calibration.Percentile(0.0));
        Assert.Equal(100.0, calibration.Percentile(3.0));
        Assert.Equal(75.0, calibration.Percentile(2.5));
    }

    [Fact]
    public void The_validation_threshold_has_a_percentile_of_at_least_the_accept_fraction()
    {
        double[] validation = Enumerable.Range(0, 37).Select(i => Math.Round(Math.Sin(i) * 3, 1)).ToArray();
        Thresholds t = Thresholds.FromValidation(validation, 0.9);
        Assert.True(new UnfamiliarityCalibration(validation).Percentile(t.Global) >= 90.0);
    }

    [Fact]
    public void An_empty_calibration_set_is_an_error()
    {
        Assert.Throws<LunaInputException>(() => new UnfamiliarityCalibration(ReadOnlySpan<double>.Empty));
    }
}
