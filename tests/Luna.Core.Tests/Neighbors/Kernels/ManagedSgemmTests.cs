using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

public class ManagedSgemmTests
{
    private const double U = 1.0 / (1 << 24);

    /// <summary>Small blocks force several kc passes, several row blocks and tasks, and edge micro-tiles.</summary>
    private static readonly GemmBlocking s_tiny = new(7, 13, 40);

    public static TheoryData<int, int, int> OddShapes => new()
    {
        { 1, 1, 1 },
        { 5, 7, 3 },
        { 13, 33, 17 },
        { 37, 70, 128 },
        { 29, 45, 513 },
        { 12, 32, 128 },
        { 25, 97, 1 },
    };

    private static IEnumerable<ManagedSgemm> ManagedKernels()
    {
        foreach (ManagedSimd simd in Enum.GetValues<ManagedSimd>())
        {
            if (ManagedSgemm.IsSupported(simd))
            {
                yield return new ManagedSgemm(simd);
                yield return new ManagedSgemm(simd, threads: 2, blocking: s_tiny);
            }
        }
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Products_equal_a_naive_double_loop_within_the_float_error_bound_for_odd_shapes(int m, int n, int d)
    {
        float[] a = KernelTestData.Uniform(1, m, d);
        float[] b = KernelTestData.Uniform(2, n, d);
        foreach (ManagedSgemm kernel in ManagedKernels())
        {
            var c = new float[m * n];
            kernel.Products(a, d, b, d, c, n, m, n, d);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double exact = KernelTestData.Dot(a, d, i, b, d, j, d);
                    double bound = 1.01 * d * U * KernelTestData.AbsDot(a, d, i, b, d, j, d);
                    Assert.True(Math.Abs(c[(i * n) + j] - exact) <= bound, $"{kernel.Description}: C[{i},{j}] = {c[(i * n) + j]}, exact {exact}, bound {bound}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Every_width_blocking_and_thread_count_gives_the_same_bits_as_one_sequential_fma_chain(int m, int n, int d)
    {
        float[] a = KernelTestData.Uniform(3, m, d);
        float[] b = KernelTestData.Uniform(4, n, d);
        foreach (ManagedSgemm kernel in ManagedKernels().Append(new ManagedSgemm(ManagedSgemm.BestSimd, threads: 1)))
        {
            var c = new float[m * n];
            kernel.Products(a, d, b, d, c, n, m, n, d);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(KernelTestData.FmaChain(a, d, i, b, d, j, d), c[(i * n) + j]);
                }
            }
        }
    }

    [Fact]
    public void Strided_operands_are_read_row_by_row_and_the_gaps_of_c_stay_untouched()
    {
        const int m = 19, n = 35, d = 21, lda = 24, ldb = 30, ldc = 41;
        float[] a = KernelTestData.Uniform(5, m, d, lda);
        float[] b = KernelTestData.Uniform(6, n, d, ldb);
        foreach (ManagedSgemm kernel in ManagedKernels())
        {
            var c = new float[((m - 1) * ldc) + n];
            Array.Fill(c, -7f);
            kernel.Products(a, lda, b, ldb, c, ldc, m, n, d);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < ldc && (i * ldc) + j < c.Length; j++)
                {
                    float expected = j < n ? KernelTestData.FmaChain(a, lda, i, b, ldb, j, d) : -7f;
                    Assert.Equal(expected, c[(i * ldc) + j]);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void Squared_distances_apply_the_norm_epilogue_to_the_products(int m, int n, int d)
    {
        float[] a = KernelTestData.Uniform(7, m, d);
        float[] b = KernelTestData.Uniform(8, n, d);
        float[] na = RowNorms.Compute(a, m, d);
        float[] nb = RowNorms.Compute(b, n, d);
        foreach (ManagedSgemm kernel in ManagedKernels())
        {
            var c = new float[m * n];
            kernel.SquaredDistances(a, d, na, b, d, nb, c, n, m, n, d);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    float product = KernelTestData.FmaChain(a, d, i, b, d, j, d);
                    float expected = MathF.Max(MathF.FusedMultiplyAdd(product, -2f, na[i] + nb[j]), 0f);
                    Assert.Equal(expected, c[(i * n) + j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(45, 3)]
    [InlineData(70, 17)]
    [InlineData(131, 128)]
    [InlineData(50, 513)]
    public void The_symmetric_variant_equals_the_full_product_on_and_above_the_diagonal_and_mirrors_it(int m, int d)
    {
        float[] a = KernelTestData.Uniform(9, m, d);
        float[] norms = RowNorms.Compute(a, m, d);
        foreach (ManagedSgemm kernel in ManagedKernels())
        {
            var full = new float[m * m];
            var upper = new float[m * m];
            var mirrored = new float[m * m];
            kernel.Products(a, d, a, d, full, m, m, m, d);
            Array.Fill(upper, float.NaN);
            kernel.SymmetricProducts(a, d, upper, m, m, d, mirror: false);
            kernel.SymmetricProducts(a, d, mirrored, m, m, d, mirror: true);
            var fullDistances = new float[m * m];
            var symmetricDistances = new float[m * m];
            kernel.SquaredDistances(a, d, norms, a, d, norms, fullDistances, m, m, m, d);
            kernel.SymmetricSquaredDistances(a, d, norms, symmetricDistances, m, m, d, mirror: true);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    if (j >= i)
                    {
                        Assert.Equal(full[(i * m) + j], upper[(i * m) + j]);
                    }
                    Assert.Equal(full[(i * m) + j], mirrored[(i * m) + j]);
                    Assert.Equal(fullDistances[(i * m) + j], symmetricDistances[(i * m) + j]);
                }
            }
        }
    }

    [Fact]
    public void The_symmetric_variant_skips_the_micro_tiles_below_the_diagonal()
    {
        const int m = 200, d = 8;
        float[] a = KernelTestData.Uniform(10, m, d);
        var c = new float[m * m];
        Array.Fill(c, float.NaN);
        new ManagedSgemm().SymmetricProducts(a, d, c, m, m, d, mirror: false);
        Assert.True(float.IsNaN(c[(m - 1) * m]), "the bottom-left corner is far below the diagonal and must not be computed");
        Assert.False(float.IsNaN(c[m - 1]), "the top-right corner must be computed");
    }

    [Fact]
    public void Zero_dimensions_give_zero_products_and_norm_sum_distances()
    {
        var kernel = new ManagedSgemm();
        var c = new float[6];
        Array.Fill(c, 5f);
        kernel.Products([], 0, [], 0, c, 3, 2, 3, 0);
        Assert.All(c, v => Assert.Equal(0f, v));
        kernel.SquaredDistances([], 0, [1f, 2f], [], 0, [0f, 3f, 4f], c, 3, 2, 3, 0);
        Assert.Equal(new[] { 1f, 4f, 5f, 2f, 5f, 6f }, c);
    }

    [Fact]
    public void A_buffer_too_short_for_its_shape_is_rejected_with_the_shape_in_the_message()
    {
        var kernel = new ManagedSgemm();
        var ex = Assert.Throws<ArgumentException>(() => kernel.Products(new float[10], 4, new float[8], 4, new float[6], 2, 3, 2, 4));
        Assert.Contains("3 × 4", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Products(new float[12], 4, new float[8], 4, new float[6], 1, 3, 2, 4));
    }

    [Fact]
    public void The_backend_names_the_simd_width_that_runs()
    {
        Assert.Equal(KernelBackend.ManagedScalar, new ManagedSgemm(ManagedSimd.Scalar).Backend);
        Assert.Contains("Scalar", new ManagedSgemm(ManagedSimd.Scalar).Description);
        var best = new ManagedSgemm();
        Assert.Equal(ManagedSgemm.BestSimd, best.Simd);
    }
}
