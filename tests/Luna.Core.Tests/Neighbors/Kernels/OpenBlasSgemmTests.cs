using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

public class OpenBlasSgemmTests
{
    private const double U = 1.0 / (1 << 24);

    private static OpenBlasSgemm Native()
    {
        Assert.True(OpenBlasSgemm.TryLoad(out OpenBlasSgemm? native));
        return native;
    }

    [OpenBlasFact]
    public void The_native_backend_reports_itself_as_openblas()
    {
        OpenBlasSgemm native = Native();
        Assert.Equal(KernelBackend.OpenBlas, native.Backend);
        Assert.Contains("OpenBLAS", native.Description);
        Assert.Same(native, InnerProductKernels.Get(KernelPreference.OpenBlas));
    }

    [OpenBlasFact]
    public void Native_products_equal_the_managed_ones_within_the_float_error_bound()
    {
        foreach ((int m, int n, int d) in new[] { (1, 1, 1), (13, 33, 17), (37, 70, 128), (29, 45, 513), (5, 7, 3) })
        {
            float[] a = KernelTestData.Uniform(11, m, d);
            float[] b = KernelTestData.Uniform(12, n, d);
            var native = new float[m * n];
            var managed = new float[m * n];
            Native().Products(a, d, b, d, native, n, m, n, d);
            new ManagedSgemm().Products(a, d, b, d, managed, n, m, n, d);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    // Each is within γ_d·Σ|a·b| of the exact value, so they are within twice that of each other.
                    double bound = 2 * 1.01 * d * U * KernelTestData.AbsDot(a, d, i, b, d, j, d);
                    Assert.True(Math.Abs(native[(i * n) + j] - managed[(i * n) + j]) <= bound, $"{m}x{n}x{d} [{i},{j}]");
                }
            }
        }
    }

    [OpenBlasFact]
    public void Native_distances_and_the_ssyrk_self_join_stay_within_the_distance_bound()
    {
        const int m = 70, d = 129;
        float[] a = KernelTestData.Uniform(13, m, d);
        float[] norms = RowNorms.Compute(a, m, d);
        var full = new float[m * m];
        var symmetric = new float[m * m];
        var products = new float[m * m];
        Native().SquaredDistances(a, d, norms, a, d, norms, full, m, m, m, d);
        Native().SymmetricSquaredDistances(a, d, norms, symmetric, m, m, d, mirror: true);
        Native().SymmetricProducts(a, d, products, m, m, d, mirror: true);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double exact = KernelTestData.SquaredDistance(a, i, a, j, d);
                double bound = Float32DistanceBound.Bound(d, norms[i], norms[j]);
                Assert.True(Math.Abs(full[(i * m) + j] - exact) <= bound, $"sgemm [{i},{j}]");
                Assert.True(Math.Abs(symmetric[(i * m) + j] - exact) <= bound, $"ssyrk [{i},{j}]");
                Assert.Equal(symmetric[(i * m) + j], symmetric[(j * m) + i]);
                double dot = KernelTestData.Dot(a, d, i, a, d, j, d);
                Assert.True(Math.Abs(products[(i * m) + j] - dot) <= 1.01 * d * U * KernelTestData.AbsDot(a, d, i, a, d, j, d), $"ssyrk products [{i},{j}]");
            }
        }
    }

    [OpenBlasFact]
    public void Native_strided_operands_leave_the_gaps_of_c_untouched()
    {
        const int m = 9, n = 11, d = 5, lda = 7, ldb = 6, ldc = 13;
        float[] a = KernelTestData.Uniform(14, m, d, lda);
        float[] b = KernelTestData.Uniform(15, n, d, ldb);
        var c = new float[((m - 1) * ldc) + n];
        Array.Fill(c, -7f);
        Native().Products(a, lda, b, ldb, c, ldc, m, n, d);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && (i * ldc) + j < c.Length; j++)
            {
                if (j >= n)
                {
                    Assert.Equal(-7f, c[(i * ldc) + j]);
                }
                else
                {
                    Assert.Equal(KernelTestData.Dot(a, lda, i, b, ldb, j, d), c[(i * ldc) + j], 1e-5);
                }
            }
        }
    }
}
