using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

/// <summary>
/// The float32 candidates + exact double re-rank pipeline (what the exact k-NN search plugs in) against a brute-force
/// double top k, on data built to defeat float32: exact ties, near-ties below float32 resolution, and large offsets
/// where ‖a‖² + ‖b‖² − 2a·b cancels catastrophically.
/// </summary>
public class ExactRerankerTests
{
    /// <summary>Queries × references in tiles: kernel distances → candidates → exact re-rank.</summary>
    internal static (TopKResult<double> Result, CandidateLists Candidates) Search(IInnerProductKernel kernel, float[] q, int m, float[] r, int n, int d, int k, int tileRows = 23, int tileColumns = 61)
    {
        float[] qn = RowNorms.Compute(q, m, d);
        float[] rn = RowNorms.Compute(r, n, d);
        var accumulator = new CandidateAccumulator(m, k, d, qn, rn);
        var tile = new float[tileRows * tileColumns];
        for (int i0 = 0; i0 < m; i0 += tileRows)
        {
            int rows = Math.Min(tileRows, m - i0);
            for (int j0 = 0; j0 < n; j0 += tileColumns)
            {
                int columns = Math.Min(tileColumns, n - j0);
                kernel.SquaredDistances(q.AsSpan(i0 * d), d, qn.AsSpan(i0), r.AsSpan(j0 * d), d, rn.AsSpan(j0), tile, tileColumns, rows, columns, d);
                accumulator.AddTile(tile, tileColumns, i0, rows, j0, columns);
            }
        }
        CandidateLists candidates = accumulator.Complete();
        return (ExactReranker.Rerank(q, d, r, d, n, d, candidates, k), candidates);
    }

    /// <summary>
    /// The self-join: square tiles on and above the diagonal only (the diagonal ones with the symmetric kernel), each
    /// off-diagonal tile fed as it is and transposed, the point itself excluded.
    /// </summary>
    internal static TopKResult<double> SelfJoin(IInnerProductKernel kernel, float[] x, int n, int d, int k, int tile = 37)
    {
        float[] norms = RowNorms.Compute(x, n, d);
        var accumulator = new CandidateAccumulator(n, k, d, norms, norms);
        var block = new float[tile * tile];
        for (int i0 = 0; i0 < n; i0 += tile)
        {
            int rows = Math.Min(tile, n - i0);
            kernel.SymmetricSquaredDistances(x.AsSpan(i0 * d), d, norms.AsSpan(i0), block, tile, rows, d, mirror: true);
            accumulator.AddTile(block, tile, i0, rows, i0, rows, excludeSelf: true);
            for (int j0 = i0 + tile; j0 < n; j0 += tile)
            {
                int columns = Math.Min(tile, n - j0);
                kernel.SquaredDistances(x.AsSpan(i0 * d), d, norms.AsSpan(i0), x.AsSpan(j0 * d), d, norms.AsSpan(j0), block, tile, rows, columns, d);
                accumulator.AddTile(block, tile, i0, rows, j0, columns, excludeSelf: true);
                accumulator.AddTileTransposed(block, tile, rows, columns, j0, i0, excludeSelf: true);
            }
        }
        return ExactReranker.Rerank(x, d, x, d, n, d, accumulator.Complete(), k);
    }

    internal static void AssertEqualsBruteForce((int[] Indices, double[] Distances)[] expected, TopKResult<double> actual, string label)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Indices.AsSpan().SequenceEqual(actual.IndicesOf(i)),
                $"{label}, row {i}: expected [{string.Join(",", expected[i].Indices)}], got [{string.Join(",", actual.IndicesOf(i).ToArray())}]");
            double[] distances = actual.KeysOf(i).ToArray();
            for (int r = 0; r < distances.Length; r++)
            {
                Assert.Equal(expected[i].Distances[r], distances[r], 1e-12 * Math.Max(1, expected[i].Distances[r]));
            }
        }
    }

    /// <summary>Coordinates offset + {0, 1, 2}: exact integer distances, so ties everywhere, and norms ~ d·offset².</summary>
    private static float[] IntegerGrid(int seed, int rows, int d, float offset)
    {
        var rng = new Random(seed);
        var x = new float[rows * d];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = offset + rng.Next(3);
        }
        return x;
    }

    /// <summary>
    /// A common centre plus tiny perturbations (10⁻³ of the centre's scale, below the float32 error of the expansion),
    /// with every fourth row an exact duplicate of an earlier one.
    /// </summary>
    private static float[] NearTies(int seed, int rows, int d, float[] centre)
    {
        var rng = new Random(seed);
        var x = new float[rows * d];
        for (int i = 0; i < rows; i++)
        {
            if (i % 4 == 3)
            {
                Array.Copy(x, rng.Next(i) * d, x, i * d, d);
                continue;
            }
            for (int p = 0; p < d; p++)
            {
                x[(i * d) + p] = centre[p] + (float)(1e-3 * ((rng.NextDouble() * 2) - 1));
            }
        }
        return x;
    }

    private static float[] Centre(int seed, int d)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, d).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
    }

    [Fact]
    public void Integer_grid_far_from_the_origin_ranks_exactly_like_brute_force_with_ties_to_the_lower_index()
    {
        const int m = 40, n = 400, d = 16, k = 7;
        float[] q = IntegerGrid(1, m, d, 4096f);
        float[] r = IntegerGrid(2, n, d, 4096f);
        var expected = KernelTestData.BruteForce(q, m, r, n, d, k);
        foreach (IInnerProductKernel kernel in KernelTestData.AllKernels())
        {
            AssertEqualsBruteForce(expected, Search(kernel, q, m, r, n, d, k).Result, kernel.Description);
        }
    }

    [Fact]
    public void On_the_integer_grid_float32_distances_alone_would_rank_wrongly()
    {
        // Guards the test above: without the margin and the re-rank the ranking is wrong on this data.
        const int m = 40, n = 400, d = 16, k = 7;
        float[] q = IntegerGrid(1, m, d, 4096f);
        float[] r = IntegerGrid(2, n, d, 4096f);
        var expected = KernelTestData.BruteForce(q, m, r, n, d, k);
        var distances = new float[m * n];
        new ManagedSgemm().SquaredDistances(q, d, RowNorms.Compute(q, m, d), r, d, RowNorms.Compute(r, n, d), distances, n, m, n, d);
        var floatOnly = new TopKAccumulator(m, k);
        floatOnly.AddTile(distances, n, 0, m, 0, n);
        TopKResult<float> result = floatOnly.Complete();
        int wrongRows = Enumerable.Range(0, m).Count(i => !expected[i].Indices.AsSpan().SequenceEqual(result.IndicesOf(i)));
        Assert.True(wrongRows > m / 2, $"only {wrongRows} of {m} rows differ");
    }

    [Fact]
    public void Near_ties_below_float32_resolution_and_duplicates_rank_exactly_like_brute_force()
    {
        const int m = 30, n = 500, d = 128, k = 10;
        float[] centre = Centre(3, d);
        float[] q = NearTies(4, m, d, centre);
        float[] r = NearTies(5, n, d, centre);
        var expected = KernelTestData.BruteForce(q, m, r, n, d, k);
        foreach (IInnerProductKernel kernel in KernelTestData.AllKernels())
        {
            AssertEqualsBruteForce(expected, Search(kernel, q, m, r, n, d, k).Result, kernel.Description);
        }
    }

    [Fact]
    public void Gaussian_clouds_with_a_large_offset_rank_exactly_like_brute_force()
    {
        const int m = 25, n = 600, d = 64, k = 15;
        var rng = new Random(6);
        float[] Cloud(int rows) => Enumerable.Range(0, rows * d).Select(i => (float)(100 + ((i % d) * 0.5) + (0.01 * Gaussian(rng)))).ToArray();
        float[] q = Cloud(m);
        float[] r = Cloud(n);
        var expected = KernelTestData.BruteForce(q, m, r, n, d, k);
        foreach (IInnerProductKernel kernel in KernelTestData.AllKernels())
        {
            AssertEqualsBruteForce(expected, Search(kernel, q, m, r, n, d, k).Result, kernel.Description);
        }
    }

    [Fact]
    public void Centred_float32_copies_with_the_centred_margin_stay_exact_and_need_only_a_few_candidates()
    {
        const int m = 25, n = 600, d = 64, k = 15;
        var rng = new Random(6);
        float[] Cloud(int rows) => Enumerable.Range(0, rows * d).Select(i => (float)(100 + ((i % d) * 0.5) + (0.01 * Gaussian(rng)))).ToArray();
        float[] q = Cloud(m);
        float[] r = Cloud(n);
        var mean = new double[d];
        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < d; p++)
            {
                mean[p] += r[(j * d) + p] / (double)n;
            }
        }
        float[] Centre(float[] x) => x.Select((v, i) => (float)(v - mean[i % d])).ToArray();
        float[] qc = Centre(q);
        float[] rc = Centre(r);
        float[] qn = RowNorms.Compute(qc, m, d);
        float[] rn = RowNorms.Compute(rc, n, d);
        var distances = new float[m * n];
        new ManagedSgemm().SquaredDistances(qc, d, qn, rc, d, rn, distances, n, m, n, d);
        var accumulator = new CandidateAccumulator(m, k, d, qn, rn, centered: true);
        accumulator.AddTile(distances, n, 0, m, 0, n);
        CandidateLists candidates = accumulator.Complete();
        // The re-rank uses the original, uncentred rows.
        AssertEqualsBruteForce(KernelTestData.BruteForce(q, m, r, n, d, k), ExactReranker.Rerank(q, d, r, d, n, d, candidates, k), "centred");
        double centred = (double)candidates.Offsets[^1] / m;
        double uncentred = (double)Search(new ManagedSgemm(), q, m, r, n, d, k).Candidates.Offsets[^1] / m;
        Assert.True(centred <= k + 2, $"centred: {centred} candidates per row");
        Assert.True(uncentred > 10 * k, $"uncentred: {uncentred} candidates per row (expected most of the {n} references)");
    }

    [Fact]
    public void On_normalised_features_the_candidates_are_k_plus_a_few_and_the_result_is_exact()
    {
        const int m = 50, n = 3000, d = 64, k = 10;
        float[] q = Normalised(KernelTestData.Uniform(7, m, d), m, d);
        float[] r = Normalised(KernelTestData.Uniform(8, n, d), n, d);
        var expected = KernelTestData.BruteForce(q, m, r, n, d, k);
        (TopKResult<double> result, CandidateLists candidates) = Search(new ManagedSgemm(), q, m, r, n, d, k, 16, 500);
        AssertEqualsBruteForce(expected, result, "managed");
        double mean = (double)candidates.Offsets[^1] / m;
        Assert.True(mean >= k && mean <= k + 2, $"mean candidates per row {mean}");
    }

    [Fact]
    public void The_self_join_from_upper_tiles_equals_brute_force_without_the_point_itself()
    {
        const int n = 260, d = 128, k = 8;
        float[] centre = Centre(9, d);
        float[] x = NearTies(10, n, d, centre);
        var expected = KernelTestData.BruteForce(x, n, x, n, d, k, excludeSelf: true);
        foreach (IInnerProductKernel kernel in KernelTestData.AllKernels())
        {
            AssertEqualsBruteForce(expected, SelfJoin(kernel, x, n, d, k), kernel.Description);
        }
    }

    [Fact]
    public void Rows_with_fewer_candidates_than_k_keep_them_all()
    {
        float[] q = [0f, 0f];
        float[] r = [3f, 4f, 1f, 0f];
        var candidates = new CandidateLists(1, 5, [0, 2], [0, 1]);
        TopKResult<double> result = ExactReranker.Rerank(q, 2, r, 2, 2, 2, candidates, 5);
        Assert.Equal(new[] { 1, 0 }, result.IndicesOf(0).ToArray());
        Assert.Equal(new[] { 1.0, 25.0 }, result.KeysOf(0).ToArray());
    }

    [Fact]
    public void A_candidate_that_is_not_a_reference_is_rejected()
    {
        var candidates = new CandidateLists(1, 1, [0, 1], [7]);
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => ExactReranker.Rerank([0f], 1, [1f, 2f], 1, 2, 1, candidates, 1));
    }

    private static float[] Normalised(float[] x, int rows, int d)
    {
        for (int i = 0; i < rows; i++)
        {
            Span<float> row = x.AsSpan(i * d, d);
            float norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
        return x;
    }

    private static double Gaussian(Random rng)
        => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
