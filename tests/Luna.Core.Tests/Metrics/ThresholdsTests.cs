using Luna.Core.Metrics;

namespace Luna.Core.Tests.Metrics;

public class ThresholdsTests
{
    public static IEnumerable<object[]> ThresholdCases => MetricsFixture.CaseIndices("thresholds");

    [Theory]
    [MemberData(nameof(ThresholdCases))]
    public void The_threshold_equals_numpys_inverted_cdf_quantile(int index)
    {
        var c = MetricsFixture.Expected.GetProperty("thresholds")[index];
        double[] scores = MetricsFixture.Doubles(c.GetProperty("scores"));
        double q = MetricsFixture.Number(c, "acceptFraction");

        Thresholds t = Thresholds.FromValidation(scores, q);

        Assert.Equal(MetricsFixture.Number(c, "threshold"), t.Global);
        Assert.Equal(q, t.AcceptFraction);
        Assert.Equal(scores.Length, t.ValidationSamples);
    }

    [Fact]
    public void Ninety_five_percent_of_20_validation_scores_accepts_exactly_19()
    {
        // 0.1, 0.2, ..., 2.0: k = ceil(0.95·20) = 19, tau = the 19th smallest = 1.9; scores ≤ 1.9 are 19 of 20.
        double[] scores = Enumerable.Range(1, 20).Select(i => i / 10.0).ToArray();
        Thresholds t = Thresholds.FromValidation(scores);
        Assert.Equal(1.9, t.Global);
        Assert.Equal(19, scores.Count(s => !t.Rejects(s)));
    }

    [Fact]
    public void Samples_tied_with_the_threshold_are_all_accepted()
    {
        // q = 0.5 of 6: k = 3, tau = the 3rd smallest = 3; the scores 3, 3, 3 are all ≤ tau, so 5 of 6 are accepted.
        double[] scores = { 1, 2, 3, 3, 3, 4 };
        Thresholds t = Thresholds.FromValidation(scores, 0.5);
        Assert.Equal(3.0, t.Global);
        Assert.Equal(5, scores.Count(s => !t.Rejects(s)));
    }

    [Theory]
    [InlineData(20, 0.95, 19)]
    [InlineData(100, 0.95, 95)]
    [InlineData(21, 0.95, 20)]
    [InlineData(3, 0.95, 3)]
    [InlineData(10, 0.5, 5)]
    [InlineData(10, 0.01, 1)]
    [InlineData(7, 1.0, 7)]
    public void The_accepted_count_is_the_smallest_k_with_k_over_n_at_least_q(int n, double q, int k)
    {
        Assert.Equal(k, Thresholds.AcceptedCount(n, q));
    }

    [Fact]
    public void Per_class_thresholds_use_the_predicted_class_and_fall_back_to_the_global_threshold()
    {
        // Class 0: scores 1, 2, 3, 4 -> q = 0.75 accepts 3, tau_0 = 3. Class 1: 10, 20 -> k = ceil(1.5) = 2, tau_1 = 20.
        // Global over all six: k = ceil(4.5) = 5, tau = 10 (sorted 1, 2, 3, 4, 10, 20).
        double[] scores = { 1, 2, 3, 4, 10, 20 };
        int[] predicted = { 0, 0, 0, 0, 1, 1 };
        Thresholds t = Thresholds.FromValidationPerClass(scores, predicted, 0.75);
        Assert.Equal(3.0, t.For(0));
        Assert.Equal(20.0, t.For(1));
        Assert.Equal(10.0, t.Global);
        Assert.Equal(10.0, t.For(2));
        Assert.Equal(10.0, t.For(-1));

        int[] open = t.Apply(new[] { 3.5, 15.0, 15.0 }, new[] { 0, 1, 2 }, new[] { 0, 1, 2 });
        Assert.Equal(new[] { -1, 1, -1 }, open);
    }

    [Fact]
    public void Per_class_thresholds_without_the_query_classes_are_an_error()
    {
        Thresholds t = Thresholds.FromValidationPerClass(new[] { 1.0, 2.0 }, new[] { 0, 1 });
        var ex = Assert.Throws<LunaInputException>(() => t.Apply(new[] { 1.0 }, new[] { 0 }));
        Assert.Contains("predicted class", ex.Message);
    }

    [Fact]
    public void A_fixed_threshold_rejects_only_scores_strictly_above_it()
    {
        Thresholds t = Thresholds.Fixed(1.5);
        Assert.Equal(new[] { 0, -1, 2 }, t.Apply(new[] { 1.5, 1.6, 0.1 }, new[] { 0, 1, 2 }));
        Assert.Null(t.AcceptFraction);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void An_accept_fraction_outside_zero_to_one_is_an_error_naming_the_value(double q)
    {
        var ex = Assert.Throws<LunaInputException>(() => Thresholds.FromValidation(new[] { 1.0 }, q));
        Assert.Contains($"value {q.ToString(System.Globalization.CultureInfo.InvariantCulture)}", ex.Message);
    }

    [Fact]
    public void No_validation_scores_is_an_error()
    {
        Assert.Throws<LunaInputException>(() => Thresholds.FromValidation(ReadOnlySpan<double>.Empty));
    }

    [Fact]
    public void A_non_finite_fixed_threshold_is_an_error()
    {
        Assert.Throws<LunaInputException>(() => Thresholds.Fixed(double.PositiveInfinity));
    }
}
