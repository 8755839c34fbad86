using Luna.Core.Data;
using Luna.Core.Neighbors;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors;

public class ExactNeighborIndexTests
{
    /// <summary>All distances in double by a plain loop, sorted by (distance, index): the reference the index must equal.</summary>
    private static (int[] Indices, double[] Distances) BruteForce(FeatureMatrix references, FeatureMatrix queries, int k, bool self)
    {
        int m = queries.Rows;
        int kk = Math.Min(k, references.Rows - (self ? 1 : 0));
        var indices = new int[m * kk];
        var distances = new double[m * kk];
        for (int i = 0; i < m; i++)
        {
            var all = new List<(double Distance, int Index)>();
            for (int j = 0; j < references.Rows; j++)
            {
                if (self && i == j)
                {
                    continue;
                }
                double sum = 0;
                for (int c = 0; c < references.Columns; c++)
                {
                    double diff = (double)queries[i, c] - references[j, c];
                    sum += diff * diff;
                }
                all.Add((Math.Sqrt(sum), j));
            }
            var best = all.OrderBy(t => t.Distance).ThenBy(t => t.Index).Take(kk).ToArray();
            for (int r = 0; r < kk; r++)
            {
                indices[(i * kk) + r] = best[r].Index;
                distances[(i * kk) + r] = best[r].Distance;
            }
        }
        return (indices, distances);
    }

    private static FeatureMatrix Random(int seed, int n, int d)
    {
        var random = new Random(seed);
        var m = new FeatureMatrix(n, d);
        for (int i = 0; i < m.Data.Length; i++)
        {
            m.Data[i] = (float)((random.NextDouble() * 2) - 1);
        }
        return m;
    }

    /// <summary>Points on a small integer lattice: many exactly equal distances, and duplicated rows.</summary>
    private static FeatureMatrix Lattice(int seed, int n, int d)
    {
        var random = new Random(seed);
        var m = new FeatureMatrix(n, d);
        for (int i = 0; i < m.Data.Length; i++)
        {
            m.Data[i] = random.Next(-2, 3);
        }
        return m;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(60)]
    public void Search_equals_brute_force_with_tiles_smaller_than_n(int k)
    {
        FeatureMatrix references = Random(1, 53, 7);
        FeatureMatrix queries = Random(2, 31, 7);
        var index = new ExactNeighborIndex(references, queryTileRows: 4, referenceTileRows: 6);
        NeighborResult result = index.Search(queries, k);
        (int[] indices, double[] distances) = BruteForce(references, queries, k, self: false);
        Assert.Equal(Math.Min(k, 53), result.K);
        Assert.Equal(indices, result.Indices);
        Assert.Equal(distances, result.Distances, (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(100)]
    public void SearchSelf_equals_brute_force_without_the_point_itself(int k)
    {
        FeatureMatrix references = Random(3, 41, 5);
        var index = new ExactNeighborIndex(references, queryTileRows: 3, referenceTileRows: 7);
        NeighborResult result = index.SearchSelf(k);
        (int[] indices, double[] distances) = BruteForce(references, references, k, self: true);
        Assert.Equal(Math.Min(k, 40), result.K);
        Assert.Equal(indices, result.Indices);
        Assert.Equal(distances, result.Distances, (a, b) => Math.Abs(a - b) <= 1e-12);
    }

    [Fact]
    public void Ties_and_duplicates_are_ordered_by_the_lower_reference_index()
    {
        FeatureMatrix references = Lattice(4, 90, 3);
        FeatureMatrix queries = Lattice(5, 40, 3);
        var index = new ExactNeighborIndex(references, queryTileRows: 5, referenceTileRows: 8);
        (int[] expected, double[] expectedDistances) = BruteForce(references, queries, 12, self: false);
        NeighborResult result = index.Search(queries, 12);
        Assert.Equal(expected, result.Indices);
        Assert.Equal(expectedDistances, result.Distances);
        (int[] expectedSelf, _) = BruteForce(references, references, 12, self: true);
        Assert.Equal(expectedSelf, index.SearchSelf(12).Indices);
    }

    [Fact]
    public void A_duplicate_of_the_point_is_its_neighbour_at_distance_zero_in_the_self_join()
    {
        FeatureMatrix references = FeatureMatrix.FromRows(new[]
        {
            new[] { 0f, 0f }, new[] { 5f, 5f }, new[] { 0f, 0f }, new[] { 1f, 0f },
        });
        NeighborResult self = new ExactNeighborIndex(references).SearchSelf(2);
        Assert.Equal(new[] { 2, 3 }, self.IndicesOf(0).ToArray());
        Assert.Equal(new[] { 0.0, 1.0 }, self.DistancesOf(0).ToArray());
        Assert.Equal(new[] { 0, 3 }, self.IndicesOf(2).ToArray());
        Assert.Equal(new[] { 0, 2 }, self.IndicesOf(3).ToArray());
    }

    [Fact]
    public void Results_do_not_depend_on_the_tiling()
    {
        FeatureMatrix references = Lattice(6, 70, 4);
        FeatureMatrix queries = Random(7, 25, 4);
        NeighborResult a = new ExactNeighborIndex(references, 1, 1).Search(queries, 9);
        NeighborResult b = new ExactNeighborIndex(references, 7, 13).Search(queries, 9);
        NeighborResult c = new ExactNeighborIndex(references).Search(queries, 9);
        Assert.Equal(a.Indices, b.Indices);
        Assert.Equal(a.Indices, c.Indices);
        Assert.Equal(a.Distances, b.Distances);
        Assert.Equal(a.Distances, c.Distances);
    }

    [Fact]
    public void Distances_are_exact_where_the_dot_product_expansion_is_not()
    {
        // Two points far from the origin and 1e-3 apart: ||x||² + ||y||² - 2x·y loses all digits of the difference in float.
        FeatureMatrix references = FeatureMatrix.FromRows(new[] { new[] { 1000f, 1000f }, new[] { 1000f, 1000.001f } });
        NeighborResult result = new ExactNeighborIndex(references).SearchSelf(1);
        double expected = (double)1000.001f - 1000.0;
        Assert.Equal(expected, result.Distances[0], 15);
    }

    [Fact]
    public void Insertion_buffer_keeps_the_k_best_sorted_by_distance_then_index()
    {
        var distances = new double[3];
        var indices = new int[3];
        int filled = 0;
        (double D, int I)[] inputs = [(5, 0), (1, 1), (3, 2), (1, 3), (0.5, 4), (3, 5), (1, 0)];
        foreach ((double d, int i) in inputs)
        {
            ExactNeighborIndex.Insert(distances, indices, ref filled, d, i);
        }
        Assert.Equal(3, filled);
        Assert.Equal(new[] { 0.5, 1, 1 }, distances);
        Assert.Equal(new[] { 4, 0, 1 }, indices);
    }

    [Fact]
    public void K_below_one_and_a_dimension_mismatch_are_argument_errors()
    {
        var index = new ExactNeighborIndex(Random(8, 10, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(Random(9, 2, 3), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchSelf(0));
        Assert.Throws<ArgumentException>(() => index.Search(Random(9, 2, 4), 1));
    }

    [Fact]
    public void A_single_reference_has_no_self_neighbours()
    {
        NeighborResult result = new ExactNeighborIndex(Random(10, 1, 3)).SearchSelf(5);
        Assert.Equal(0, result.K);
        Assert.Empty(result.Indices);
    }

    [Fact]
    public void A_cancelled_search_throws()
    {
        var index = new ExactNeighborIndex(Random(11, 200, 8), 2, 2);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => index.SearchSelf(5, source.Token));
    }

    /// <summary>Kernels to run the GEMM engine with: the managed one always, OpenBLAS where it is installed.</summary>
    public static TheoryData<string> Kernels()
    {
        var kernels = new TheoryData<string> { nameof(KernelPreference.Managed) };
        if (OpenBlasSgemm.IsAvailable)
        {
            kernels.Add(nameof(KernelPreference.OpenBlas));
        }
        return kernels;
    }

    private static void AssertSame(NeighborResult expected, NeighborResult actual, string label)
    {
        Assert.Equal(expected.K, actual.K);
        Assert.True(expected.Indices.AsSpan().SequenceEqual(actual.Indices), $"{label}: neighbour indices differ");
        Assert.True(expected.Distances.AsSpan().SequenceEqual(actual.Distances), $"{label}: distances differ");
    }

    /// <summary>Runs both engines on the same data (search and self-join) and requires bit-identical results.</summary>
    private static void AssertEnginesAgree(FeatureMatrix references, FeatureMatrix queries, int k, KernelPreference kernel, int tileRows, int tileColumns)
    {
        var direct = new ExactNeighborIndex(references, ExactEngine.Direct, kernel);
        var gemm = new ExactNeighborIndex(references, ExactEngine.Gemm, kernel, tileRows, tileColumns);
        AssertSame(direct.Search(queries, k), gemm.Search(queries, k), $"search k={k}");
        AssertSame(direct.SearchSelf(k), gemm.SearchSelf(k), $"self-join k={k}");
    }

    /// <summary>Rows drawn from a small pool, so that many rows are exact duplicates of each other.</summary>
    private static FeatureMatrix Duplicated(int seed, int n, int d, int distinct)
    {
        FeatureMatrix pool = Random(seed, distinct, d);
        var random = new Random(seed + 1);
        var m = new FeatureMatrix(n, d);
        for (int i = 0; i < n; i++)
        {
            pool.Row(random.Next(distinct)).CopyTo(m.Row(i));
        }
        return m;
    }

    private static FeatureMatrix Shifted(FeatureMatrix x, float offset)
    {
        var shifted = new FeatureMatrix(x.Rows, x.Columns);
        for (int i = 0; i < x.Data.Length; i++)
        {
            shifted.Data[i] = x.Data[i] + offset;
        }
        return shifted;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Gemm_engine_equals_the_direct_engine_on_random_data(string kernelName)
    {
        KernelPreference kernel = Enum.Parse<KernelPreference>(kernelName);
        FeatureMatrix references = Random(21, 300, 37);
        FeatureMatrix queries = Random(22, 70, 37);
        foreach (int k in new[] { 1, 7, 20, 299, 400 })
        {
            AssertEnginesAgree(references, queries, k, kernel, tileRows: 29, tileColumns: 53);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Gemm_engine_equals_the_direct_engine_on_duplicated_rows(string kernelName)
    {
        KernelPreference kernel = Enum.Parse<KernelPreference>(kernelName);
        FeatureMatrix references = Duplicated(23, 250, 16, 40);
        FeatureMatrix queries = Duplicated(23, 60, 16, 40);
        foreach (int k in new[] { 1, 5, 12 })
        {
            AssertEnginesAgree(references, queries, k, kernel, tileRows: 17, tileColumns: 31);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Gemm_engine_equals_the_direct_engine_on_tied_lattice_data_near_and_far_from_the_origin(string kernelName)
    {
        KernelPreference kernel = Enum.Parse<KernelPreference>(kernelName);
        foreach (float offset in new[] { 0f, 1000f })
        {
            FeatureMatrix references = Shifted(Lattice(24, 240, 6), offset);
            FeatureMatrix queries = Shifted(Lattice(25, 50, 6), offset);
            foreach (int k in new[] { 1, 9, 30 })
            {
                AssertEnginesAgree(references, queries, k, kernel, tileRows: 16, tileColumns: 40);
            }
        }
    }

    [Fact]
    public void Gemm_engine_equals_brute_force_on_lattice_ties()
    {
        FeatureMatrix references = Lattice(4, 90, 3);
        FeatureMatrix queries = Lattice(5, 40, 3);
        var index = new ExactNeighborIndex(references, ExactEngine.Gemm, KernelPreference.Managed, 5, 8);
        (int[] expected, double[] expectedDistances) = BruteForce(references, queries, 12, self: false);
        NeighborResult result = index.Search(queries, 12);
        Assert.Equal(expected, result.Indices);
        Assert.Equal(expectedDistances, result.Distances);
        (int[] expectedSelf, double[] expectedSelfDistances) = BruteForce(references, references, 12, self: true);
        NeighborResult self = index.SearchSelf(12);
        Assert.Equal(expectedSelf, self.Indices);
        Assert.Equal(expectedSelfDistances, self.Distances);
    }

    [Fact]
    public void A_large_search_runs_the_gemm_engine_by_default_and_equals_the_direct_engine()
    {
        FeatureMatrix references = Random(26, 3000, 24);
        FeatureMatrix queries = Random(27, 200, 24);
        Assert.True((long)queries.Rows * references.Rows * references.Columns >= ExactNeighborIndex.GemmThreshold);
        var automatic = new ExactNeighborIndex(references);
        var direct = new ExactNeighborIndex(references, ExactEngine.Direct, KernelPreference.Auto);
        AssertSame(direct.Search(queries, 10), automatic.Search(queries, 10), "search");
        AssertSame(direct.SearchSelf(10), automatic.SearchSelf(10), "self-join");
        Assert.False(string.IsNullOrEmpty(ExactNeighborIndex.KernelDescription));
    }

    [Fact]
    public void A_cancelled_gemm_search_throws()
    {
        var index = new ExactNeighborIndex(Random(28, 300, 8), ExactEngine.Gemm, KernelPreference.Managed, 16, 16);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => index.SearchSelf(5, source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.Search(Random(29, 40, 8), 5, source.Token));
    }
}
