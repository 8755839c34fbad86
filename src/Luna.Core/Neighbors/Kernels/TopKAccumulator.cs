using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// Streaming top-k selection over tiles of a rows × n key matrix (e.g. float32 squared distances from
/// <see cref="IInnerProductKernel.SquaredDistances"/>): for every row it keeps the k smallest keys seen so far, ties
/// broken by the lower reference index, in a bounded max-heap, so a row is never sorted whole and memory is rows × k.
/// </summary>
/// <remarks>
/// <para>Each row keeps a threshold (its current k-th key, +∞ until k keys were seen); a tile row is scanned with a
/// SIMD comparison against it and only keys ≤ threshold reach the heap, so after the first few tiles almost every key
/// costs one vector compare. The result is the same whatever the order in which tiles arrive (the order on (key, index)
/// is total), so the tiles may come from any tiling, from both triangles of a self-join, and from any thread.</para>
/// <para>Tiles touching disjoint rows may be added concurrently; a call itself spreads large tiles over the cores.
/// NaN keys are ignored.</para>
/// </remarks>
internal sealed unsafe class TopKAccumulator
{
    private const int ParallelWork = 1 << 16;
    private const int ColumnBlock = 64;

    private readonly float[] _keys;
    private readonly int[] _indices;
    private readonly int[] _counts;
    private readonly float[] _thresholds;
    private bool _completed;

    /// <summary>Creates an accumulator for <paramref name="rows"/> rows keeping <paramref name="k"/> entries each.</summary>
    public TopKAccumulator(int rows, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        Rows = rows;
        K = k;
        _keys = new float[checked(rows * k)];
        _indices = new int[rows * k];
        _counts = new int[rows];
        _thresholds = new float[rows];
        _thresholds.AsSpan().Fill(k == 0 ? float.NegativeInfinity : float.PositiveInfinity);
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Entries kept per row.</summary>
    public int K { get; }

    /// <summary>
    /// The current admission threshold of <paramref name="row"/>: its k-th smallest key so far, or +∞ while fewer than k
    /// keys were seen. A key above it can no longer enter the row's top k.
    /// </summary>
    public float Threshold(int row) => _thresholds[row];

    /// <summary>
    /// Offers a tile: element (r, j) of <paramref name="tile"/> (row stride <paramref name="ldc"/>) is the key of row
    /// <c>rowStart + r</c> for reference <c>referenceStart + j</c>, for r &lt; rowCount, j &lt; referenceCount.
    /// </summary>
    /// <param name="tile">The key tile, row-major.</param>
    /// <param name="ldc">Row stride of the tile, ≥ referenceCount.</param>
    /// <param name="rowStart">Result row of tile row 0.</param>
    /// <param name="rowCount">Tile rows.</param>
    /// <param name="referenceStart">Reference index of tile column 0.</param>
    /// <param name="referenceCount">Tile columns.</param>
    /// <param name="excludeSelf">Skip the pair where the reference index equals the result row (self-join).</param>
    public void AddTile(ReadOnlySpan<float> tile, int ldc, int rowStart, int rowCount, int referenceStart, int referenceCount, bool excludeSelf = false)
    {
        CheckTile(tile.Length, ldc, rowStart, rowCount, referenceCount, rowCount);
        if (rowCount == 0 || referenceCount == 0 || K == 0)
        {
            return;
        }
        fixed (float* pt = tile)
        {
            nint address = (nint)pt;
            int chunk = Math.Max(1, ParallelWork / referenceCount);
            int chunks = (rowCount + chunk - 1) / chunk;
            void Chunk(int t)
            {
                int end = Math.Min(rowCount, (t + 1) * chunk);
                for (int r = t * chunk; r < end; r++)
                {
                    int row = rowStart + r;
                    AddRow(row, (float*)address + ((nint)r * ldc), referenceCount, referenceStart, excludeSelf ? row : -1);
                }
            }
            if (chunks == 1)
            {
                Chunk(0);
            }
            else
            {
                Parallel.For(0, chunks, Chunk);
            }
        }
    }

    /// <summary>
    /// Offers a tile read transposed, for the lower triangle of a self-join computed as its upper one: element (r, c) of
    /// <paramref name="tile"/> is the key of row <c>rowStart + c</c> for reference <c>referenceStart + r</c>.
    /// </summary>
    /// <param name="tile">The key tile, row-major, <paramref name="tileRows"/> × <paramref name="tileColumns"/>.</param>
    /// <param name="ldc">Row stride of the tile.</param>
    /// <param name="tileRows">Tile rows (references).</param>
    /// <param name="tileColumns">Tile columns (result rows).</param>
    /// <param name="rowStart">Result row of tile column 0.</param>
    /// <param name="referenceStart">Reference index of tile row 0.</param>
    /// <param name="excludeSelf">Skip the pair where the reference index equals the result row.</param>
    public void AddTileTransposed(ReadOnlySpan<float> tile, int ldc, int tileRows, int tileColumns, int rowStart, int referenceStart, bool excludeSelf = false)
    {
        CheckTile(tile.Length, ldc, rowStart, tileRows, tileColumns, tileColumns);
        if (tileRows == 0 || tileColumns == 0 || K == 0)
        {
            return;
        }
        fixed (float* pt = tile)
        {
            nint address = (nint)pt;
            int blocks = (tileColumns + ColumnBlock - 1) / ColumnBlock;
            void Block(int blockIndex)
            {
                int c0 = blockIndex * ColumnBlock;
                int width = Math.Min(ColumnBlock, tileColumns - c0);
                for (int r = 0; r < tileRows; r++)
                {
                    AddColumnSegment((float*)address + ((nint)r * ldc) + c0, width, rowStart + c0, referenceStart + r, excludeSelf);
                }
            }
            if ((long)tileRows * tileColumns < ParallelWork || blocks == 1)
            {
                for (int b = 0; b < blocks; b++)
                {
                    Block(b);
                }
            }
            else
            {
                Parallel.For(0, blocks, Block);
            }
        }
    }

    /// <summary>
    /// Sorts every row into ascending (key, index) order and returns the result; the accumulator must not be used after.
    /// </summary>
    public TopKResult<float> Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The top-k accumulator was already completed.");
        }
        _completed = true;
        int k = K;
        Parallel.For(0, Rows, row =>
        {
            Span<float> keys = _keys.AsSpan(row * k, k);
            Span<int> indices = _indices.AsSpan(row * k, k);
            int count = _counts[row];
            KeyIndexHeap.SortAscending(keys, indices, count);
            keys[count..].Fill(float.PositiveInfinity);
            indices[count..].Fill(-1);
        });
        return new TopKResult<float>(Rows, K, _keys, _indices, _counts);
    }

    private void CheckTile(int length, int ldc, int rowStart, int tileRows, int tileColumns, int resultRows)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The top-k accumulator was already completed.");
        }
        GemmArguments.CheckMatrix(length, tileRows, tileColumns, ldc, "tile");
        if (rowStart < 0 || rowStart + resultRows > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(rowStart), $"rows {rowStart}..{rowStart + resultRows} are outside 0..{Rows}.");
        }
    }

    /// <summary>Offers one row's keys values[0..count) for references referenceStart + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddRow(int row, float* values, int count, int referenceStart, int self)
    {
        float threshold = _thresholds[row];
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= count; j += Vector512<float>.Count)
            {
                ulong mask = Vector512.LessThanOrEqual(Vector512.Load(values + j), Vector512.Create(threshold)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int t = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    threshold = Offer(row, values[j + t], referenceStart + j + t, self);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
            {
                uint mask = Vector256.LessThanOrEqual(Vector256.Load(values + j), Vector256.Create(threshold)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int t = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    threshold = Offer(row, values[j + t], referenceStart + j + t, self);
                }
            }
        }
        for (; j < count; j++)
        {
            if (values[j] <= threshold)
            {
                threshold = Offer(row, values[j], referenceStart + j, self);
            }
        }
    }

    /// <summary>Offers values[c] to row firstRow + c for c &lt; width, all for the same reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddColumnSegment(float* values, int width, int firstRow, int reference, bool excludeSelf)
    {
        int c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            fixed (float* thresholds = &_thresholds[firstRow])
            {
                for (; c + Vector512<float>.Count <= width; c += Vector512<float>.Count)
                {
                    ulong mask = Vector512.LessThanOrEqual(Vector512.Load(values + c), Vector512.Load(thresholds + c)).ExtractMostSignificantBits();
                    while (mask != 0)
                    {
                        int t = BitOperations.TrailingZeroCount(mask);
                        mask &= mask - 1;
                        int row = firstRow + c + t;
                        Offer(row, values[c + t], reference, excludeSelf ? row : -1);
                    }
                }
            }
        }
        for (; c < width; c++)
        {
            int row = firstRow + c;
            if (values[c] <= _thresholds[row])
            {
                Offer(row, values[c], reference, excludeSelf ? row : -1);
            }
        }
    }

    /// <summary>Offers (key, index) to row's heap and returns the row's threshold afterwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float Offer(int row, float key, int index, int self)
    {
        if (index == self)
        {
            return _thresholds[row];
        }
        int k = K;
        ref int count = ref _counts[row];
        Span<float> keys = _keys.AsSpan(row * k, k);
        if (KeyIndexHeap.Offer(keys, _indices.AsSpan(row * k, k), ref count, key, index) && count == k)
        {
            _thresholds[row] = keys[0];
        }
        return _thresholds[row];
    }
}
