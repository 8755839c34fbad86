using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

public class Float32DistanceBoundTests
{
    [Fact]
    public void The_coefficient_is_u_times_one_point_zero_two_d_plus_five()
    {
        Assert.Equal(Math.Pow(2, -24) * ((1.02 * 512) + 5), Float32DistanceBound.Coefficient(512), 1e-20);
        Assert.Throws<ArgumentOutOfRangeException>(() => Float32DistanceBound.Coefficient(Float32DistanceBound.MaxDimension + 1));
    }

    [Theory]
    [InlineData(0f, 1f, 128)]
    [InlineData(1000f, 1f, 128)]
    [InlineData(100f, 0.001f, 513)]
    [InlineData(30000f, 3f, 17)]
    public void Every_kernel_stays_within_the_bound_of_the_double_distance_even_under_cancellation(float offset, float spread, int d)
    {
        const int m = 30, n = 90;
        float[] a = KernelTestData.Uniform(1, m, d);
        float[] b = KernelTestData.Uniform(2, n, d);
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = offset + (spread * a[i]);
        }
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = offset + (spread * b[i]);
        }
        float[] na = RowNorms.Compute(a, m, d);
        float[] nb = RowNorms.Compute(b, n, d);
        foreach (IInnerProductKernel kernel in KernelTestData.AllKernels())
        {
            var c = new float[m * n];
            kernel.SquaredDistances(a, d, na, b, d, nb, c, n, m, n, d);
            double worst = 0;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double exact = ExactDistance.Squared(a.AsSpan(i * d, d), b.AsSpan(j * d, d));
                    double ratio = Math.Abs(c[(i * n) + j] - exact) / Float32DistanceBound.Bound(d, na[i], nb[j]);
                    worst = Math.Max(worst, ratio);
                }
            }
            Assert.True(worst <= 1, $"{kernel.Description}: error reaches {worst:F3} of the bound");
        }
    }

    [Fact]
    public void Row_norms_are_the_double_sum_of_squares_rounded_once_to_float()
    {
        const int rows = 20, d = 77, ld = 80;
        float[] x = KernelTestData.Uniform(3, rows, d, ld);
        var norms = new float[rows];
        RowNorms.Compute(x, rows, d, ld, norms);
        for (int i = 0; i < rows; i++)
        {
            double exact = 0;
            for (int p = 0; p < d; p++)
            {
                exact += (double)x[(i * ld) + p] * x[(i * ld) + p];
            }
            Assert.True(Math.Abs(norms[i] - exact) <= Math.Pow(2, -24) * exact * 1.0001, $"row {i}");
        }
    }
}
