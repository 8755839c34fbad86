using Luna.Core;
using Luna.Core.LongTail;

namespace Luna.Core.Tests.LongTail;

public class ClassWeightsTests
{
    [Fact]
    public void Weights_of_a_hand_worked_example_match_the_formula()
    {
        // counts 100, 50, 10: t = 1, 2, 10; u = 0, 1/9, 1; lambda (max 2) = 1, 1 + 1/9, 2.
        double[] lambda = ClassWeights.Compute(new[] { 100, 50, 10 });
        Assert.Equal(1.0, lambda[0], 12);
        Assert.Equal(1.0 + (1.0 / 9.0), lambda[1], 12);
        Assert.Equal(2.0, lambda[2], 12);
    }

    [Fact]
    public void Weights_with_a_larger_lambda_max_scale_linearly()
    {
        // same u as above, lambda_max = 4: 1, 1 + 3/9, 4.
        double[] lambda = ClassWeights.Compute(new[] { 100, 50, 10 }, lambdaMax: 4.0);
        Assert.Equal(new[] { 1.0, 4.0 / 3.0, 4.0 }, lambda, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Sqrt_map_is_applied_before_the_min_max_step()
    {
        // counts 400, 100, 4: t = 1, 4, 100 -> sqrt: 1, 2, 10; u = 0, 1/9, 1.
        double[] lambda = ClassWeights.Compute(new[] { 400, 100, 4 }, map: LambdaMap.Sqrt);
        Assert.Equal(new[] { 1.0, 1.0 + (1.0 / 9.0), 2.0 }, lambda, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Log_map_is_applied_before_the_min_max_step()
    {
        // counts e^2 scale: t = 1, e, e^2 -> ln: 0, 1, 2; u = 0, .5, 1. Use counts 1000, 1000/e, 1000/e^2 rounded exactly via ratios 1, 2, 4 instead:
        // counts 8, 4, 2: t = 1, 2, 4 -> ln: 0, ln2, 2 ln2; u = 0, .5, 1; lambda = 1, 1.5, 2.
        double[] lambda = ClassWeights.Compute(new[] { 8, 4, 2 }, map: LambdaMap.Log);
        Assert.Equal(new[] { 1.0, 1.5, 2.0 }, lambda, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Equal_counts_give_every_class_weight_one()
    {
        double[] lambda = ClassWeights.Compute(new[] { 7, 7, 7, 7 }, lambdaMax: 5.0);
        Assert.All(lambda, l => Assert.Equal(1.0, l));
    }

    [Fact]
    public void FMNIST_OLT_counts_give_every_weight_at_least_one_and_the_rarest_the_most()
    {
        int[] counts = { 3000, 1159, 448, 173, 67, 26, 10 };
        double[] lambda = ClassWeights.Compute(counts);
        Assert.All(lambda, l => Assert.InRange(l, 1.0, 2.0));
        Assert.Equal(2.0, lambda[6], 12);
        for (int j = 1; j < counts.Length; j++)
        {
            Assert.True(lambda[j] > lambda[j - 1]);
        }
        // u for 26: (3000/26 - 1) / (300 - 1)
        Assert.Equal(1.0 + (((3000.0 / 26.0) - 1.0) / 299.0), lambda[5], 12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_count_below_one_is_an_error_that_names_the_class_and_value(int bad)
    {
        var ex = Assert.Throws<LunaInputException>(() => ClassWeights.Compute(new[] { 10, bad }));
        Assert.Contains("class 1", ex.Message);
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void A_lambda_max_below_one_is_an_error_that_quotes_the_value()
    {
        var ex = Assert.Throws<LunaInputException>(() => ClassWeights.Compute(new[] { 10, 5 }, lambdaMax: 0.5));
        Assert.Contains("0.5", ex.Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
