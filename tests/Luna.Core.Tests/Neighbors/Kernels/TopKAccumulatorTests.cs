using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

public class TopKAccumulatorTests
{
    /// <summary>Keys from {0, 1, ..., levels − 1}: most keys are tied.</summary>
    private static float[] TiedKeys(int seed, int rows, int n, int levels)
    {
        var rng = new Random(seed);
        var keys = new float[rows * n];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = rng.Next(levels);
        }
        return keys;
    }

    /// <summary>The k smallest (key, index) pairs of every row by sorting the whole row.</summary>
    private static (float Key, int Index)[][] SortRows(float[] keys, int rows, int n, int k, bool excludeSelf = false)
    {
        var result = new (float, int)[rows][];
        for (int i = 0; i < rows; i++)
        {
            var row = new List<(float Key, int Index)>();
            for (int j = 0; j < n; j++)
            {
                if (!(excludeSelf && i == j))
                {
                    row.Add((keys[(i * n) + j], j));
                }
            }
            row.Sort();
            result[i] = row.Take(k).ToArray();
        }
        return result;
    }

    private static void AssertEqualsBruteForce((float Key, int Index)[][] expected, TopKResult<float> actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Select(x => x.Index).ToArray(), actual.IndicesOf(i).ToArray());
            Assert.Equal(expected[i].Select(x => x.Key).ToArray(), actual.KeysOf(i).ToArray());
        }
    }

    [Theory]
    [InlineData(37, 300, 10, 3)]
    [InlineData(5, 1000, 1, 2)]
    [InlineData(64, 517, 25, 1000)]
    [InlineData(3, 40, 40, 4)]
    public void Top_k_equals_sorting_the_whole_row_ties_to_the_lower_index_whatever_the_tile_order(int rows, int n, int k, int levels)
    {
        float[] keys = TiedKeys(rows + n, rows, n, levels);
        var tiles = new List<(int R0, int R1, int J0, int J1)>();
        int[] rowCuts = [0, rows / 3, rows];
        int[] colCuts = [0, 17, n / 2, n - 5, n];
        for (int r = 0; r + 1 < rowCuts.Length; r++)
        {
            for (int c = 0; c + 1 < colCuts.Length; c++)
            {
                tiles.Add((rowCuts[r], rowCuts[r + 1], colCuts[c], colCuts[c + 1]));
            }
        }
        // Reversed column order: later (higher) indices arrive first, so equal keys must displace them.
        tiles.Reverse();
        var accumulator = new TopKAccumulator(rows, k);
        foreach ((int r0, int r1, int j0, int j1) in tiles)
        {
            accumulator.AddTile(keys.AsSpan((r0 * n) + j0), n, r0, r1 - r0, j0, j1 - j0);
        }
        AssertEqualsBruteForce(SortRows(keys, rows, n, k), accumulator.Complete());
    }

    [Fact]
    public void A_self_join_fed_as_upper_tiles_and_their_transposes_equals_brute_force_without_the_point_itself()
    {
        const int n = 150, k = 6, tile = 40;
        // A symmetric key matrix with ties.
        float[] keys = new float[n * n];
        var rng = new Random(3);
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                keys[(i * n) + j] = keys[(j * n) + i] = rng.Next(5);
            }
        }
        var accumulator = new TopKAccumulator(n, k);
        for (int i0 = 0; i0 < n; i0 += tile)
        {
            for (int j0 = i0; j0 < n; j0 += tile)
            {
                int rowsHere = Math.Min(tile, n - i0);
                int colsHere = Math.Min(tile, n - j0);
                ReadOnlySpan<float> block = keys.AsSpan((i0 * n) + j0);
                accumulator.AddTile(block, n, i0, rowsHere, j0, colsHere, excludeSelf: true);
                if (j0 != i0)
                {
                    accumulator.AddTileTransposed(block, n, rowsHere, colsHere, j0, i0, excludeSelf: true);
                }
            }
        }
        AssertEqualsBruteForce(SortRows(keys, n, n, k, excludeSelf: true), accumulator.Complete());
    }

    [Fact]
    public void Large_tiles_spread_over_the_cores_give_the_same_result()
    {
        const int rows = 300, n = 2000, k = 20;
        float[] keys = TiedKeys(9, rows, n, 50);
        var accumulator = new TopKAccumulator(rows, k);
        accumulator.AddTile(keys, n, 0, rows, 0, n);
        var transposedKeys = new float[n * rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++)
            {
                transposedKeys[(j * rows) + i] = keys[(i * n) + j];
            }
        }
        var fromTransposed = new TopKAccumulator(rows, k);
        fromTransposed.AddTileTransposed(transposedKeys, rows, n, rows, 0, 0);
        (float, int)[][] expected = SortRows(keys, rows, n, k);
        AssertEqualsBruteForce(expected, accumulator.Complete());
        AssertEqualsBruteForce(expected, fromTransposed.Complete());
    }

    [Fact]
    public void A_row_offered_fewer_than_k_keys_keeps_them_all_and_pads_with_infinity()
    {
        var accumulator = new TopKAccumulator(2, 4);
        accumulator.AddTile([3f, 1f, 2f], 3, 0, 1, 10, 3);
        TopKResult<float> result = accumulator.Complete();
        Assert.Equal(new[] { 11, 12, 10 }, result.IndicesOf(0).ToArray());
        Assert.Equal(3, result.Counts[0]);
        Assert.Equal(0, result.Counts[1]);
        Assert.Equal(float.PositiveInfinity, result.Keys[3]);
        Assert.Equal(-1, result.Indices[7]);
    }

    [Fact]
    public void The_threshold_is_the_kth_key_once_k_keys_were_seen()
    {
        var accumulator = new TopKAccumulator(1, 2);
        Assert.Equal(float.PositiveInfinity, accumulator.Threshold(0));
        accumulator.AddTile([5f, 3f, 9f, 4f], 4, 0, 1, 0, 4);
        Assert.Equal(4f, accumulator.Threshold(0));
    }

    [Fact]
    public void A_tile_outside_the_rows_is_rejected()
    {
        var accumulator = new TopKAccumulator(2, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.AddTile(new float[4], 2, 1, 2, 0, 2));
    }
}
