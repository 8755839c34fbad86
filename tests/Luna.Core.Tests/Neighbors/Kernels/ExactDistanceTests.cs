using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

public class ExactDistanceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(128)]
    [InlineData(513)]
    public void The_double_distance_is_within_its_rounding_bound_of_a_sequential_sum(int d)
    {
        float[] a = KernelTestData.Uniform(1, 1, d);
        float[] b = KernelTestData.Uniform(2, 1, d);
        double sequential = KernelTestData.SquaredDistance(a, 0, b, 0, d);
        // Both sums are within 1.01·(d + 2)·2⁻⁵³ relative of the exact value.
        Assert.Equal(sequential, ExactDistance.Squared(a, b), 2 * 1.01 * (d + 2) * Math.Pow(2, -53) * sequential);
    }

    [Fact]
    public void Integer_coordinates_give_the_exact_integer_distance()
    {
        float[] a = [4096, 4097, 4098, 4096, 4096, 4096, 4096, 4096, 4096, 4098, 4096];
        float[] b = [4098, 4096, 4096, 4096, 4097, 4096, 4096, 4096, 4096, 4096, 4097];
        Assert.Equal(4 + 1 + 4 + 1 + 4 + 1, ExactDistance.Squared(a, b));
    }

    [Fact]
    public void The_value_does_not_depend_on_where_the_rows_sit_in_memory()
    {
        const int d = 203;
        float[] a = KernelTestData.Uniform(3, 1, d);
        float[] b = KernelTestData.Uniform(4, 1, d);
        double reference = ExactDistance.Squared(a, b);
        for (int shift = 1; shift < 16; shift++)
        {
            var aShifted = new float[d + shift];
            var bShifted = new float[d + (2 * shift)];
            a.CopyTo(aShifted, shift);
            b.CopyTo(bShifted, 2 * shift);
            Assert.Equal(reference, ExactDistance.Squared(aShifted.AsSpan(shift), bShifted.AsSpan(2 * shift)));
        }
    }

    [Fact]
    public void Rows_of_different_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ExactDistance.Squared([1f, 2f], [1f]));
    }
}
