using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// Streaming selection of the candidates for an exact k-nearest-neighbour re-rank from float32 squared-distance tiles:
/// for every row it keeps each reference whose float32 distance is close enough to the k-th that, by
/// <see cref="Float32DistanceBound"/>, it might be among the exact k nearest; every reference of the exact top k
/// (in double precision, ties to the lower index) is guaranteed to be kept.
/// </summary>
/// <remarks>
/// <para>Rule, per row i with float32 squared norm n̂_i: each pair gets e_j = β(d)·(n̂_i + n̂_j); the row tracks
/// T = the k-th smallest upper end D̂_j + e_j seen so far, each upper end rounded up to float32 (a bounded max-heap of k
/// floats; rounding up only widens T, so the guarantee holds), and keeps reference j while its lower end D̂_j − e_j ≤ T.
/// T only falls as tiles arrive, so entries whose lower end rises above it are dropped when the row's buffer fills
/// (compaction), and the buffer grows only when less than a quarter of it is free after compaction. The result is k
/// entries plus the near-ties within the error margin: usually k + a few, at worst (all references within the margin,
/// as for identical points or data far from the origin) every reference.</para>
/// <para>Memory per row: the heap (4k bytes) and a candidate buffer of k + max(8, k/2) entries of 8 bytes held in one
/// shared slab (a row that outgrows it moves to its own array): about 16k + 40 bytes per row in all for k ≥ 16.</para>
/// <para>A SIMD pre-filter compares each tile row against T + β·(n̂_i + max_j n̂_j), rounded up to float32, so most
/// keys cost one vector compare. Rows may be fed by tiles in any order (direct or transposed for a self-join); tiles
/// touching disjoint rows may be added concurrently.</para>
/// </remarks>
internal sealed unsafe class CandidateAccumulator
{
    private const int ParallelWork = 1 << 16;
    private const int ColumnBlock = 64;

    private readonly int _k;
    private readonly int _slabCapacity;
    private readonly double _beta;
    private readonly float[] _rowNorms;
    private readonly float[] _referenceNorms;
    private readonly double _maxReferenceNorm;
    private readonly float[] _uppers;
    private readonly int[] _upperCounts;
    private readonly float[] _limits;
    private readonly float[] _prefilter;
    private readonly int[] _counts;
    private int[]? _slab;
    private float[]? _slabDistances;
    private int[]?[]? _own;
    private float[]?[]? _ownDistances;
    private bool _completed;

    /// <summary>Creates the accumulator.</summary>
    /// <param name="rows">Number of result rows (queries).</param>
    /// <param name="k">Neighbours wanted per row, ≥ 1.</param>
    /// <param name="d">Dimension of the rows, for the error bound (≤ <see cref="Float32DistanceBound.MaxDimension"/>).</param>
    /// <param name="rowNorms">The float32 squared norms the kernel used for the result rows, length rows.</param>
    /// <param name="referenceNorms">The float32 squared norms the kernel used for the references, indexed by reference.</param>
    /// <param name="centered">
    /// The float32 distances were computed on centred copies fl(x − μ) (and <paramref name="rowNorms"/>,
    /// <paramref name="referenceNorms"/> are theirs) while the re-rank uses the original rows: the margin then uses
    /// <see cref="Float32DistanceBound.CenteredCoefficient"/>.
    /// </param>
    public CandidateAccumulator(int rows, int k, int d, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> referenceNorms, bool centered = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        GemmArguments.CheckNorms(rowNorms.Length, rows, nameof(rowNorms));
        Rows = rows;
        _k = k;
        _slabCapacity = k + Math.Max(8, k / 2);
        _beta = centered ? Float32DistanceBound.CenteredCoefficient(d) : Float32DistanceBound.Coefficient(d);
        _rowNorms = rowNorms[..rows].ToArray();
        _referenceNorms = referenceNorms.ToArray();
        float max = 0f;
        foreach (float norm in referenceNorms)
        {
            max = MathF.Max(max, norm);
        }
        _maxReferenceNorm = max;
        _uppers = new float[checked(rows * k)];
        _upperCounts = new int[rows];
        _limits = new float[rows];
        _limits.AsSpan().Fill(float.PositiveInfinity);
        _prefilter = new float[rows];
        _prefilter.AsSpan().Fill(float.PositiveInfinity);
        _counts = new int[rows];
        _slab = new int[checked(rows * _slabCapacity)];
        _slabDistances = new float[rows * _slabCapacity];
        _own = new int[]?[rows];
        _ownDistances = new float[]?[rows];
    }

    /// <summary>Number of result rows.</summary>
    public int Rows { get; }

    /// <summary>
    /// Offers a tile of float32 squared distances: element (r, j) (row stride <paramref name="ldc"/>) is the distance of
    /// row <c>rowStart + r</c> to reference <c>referenceStart + j</c>.
    /// </summary>
    /// <param name="tile">The distance tile, row-major.</param>
    /// <param name="ldc">Row stride, ≥ referenceCount.</param>
    /// <param name="rowStart">Result row of tile row 0.</param>
    /// <param name="rowCount">Tile rows.</param>
    /// <param name="referenceStart">Reference index of tile column 0.</param>
    /// <param name="referenceCount">Tile columns.</param>
    /// <param name="excludeSelf">Skip the pair whose reference index equals the result row (self-join).</param>
    public void AddTile(ReadOnlySpan<float> tile, int ldc, int rowStart, int rowCount, int referenceStart, int referenceCount, bool excludeSelf = false)
    {
        CheckTile(tile.Length, ldc, rowCount, referenceCount, rowStart, rowCount, referenceStart, referenceCount);
        if (rowCount == 0 || referenceCount == 0)
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
    /// Offers a tile read transposed (the lower triangle of a self-join): element (r, c) is the distance of row
    /// <c>rowStart + c</c> to reference <c>referenceStart + r</c>.
    /// </summary>
    /// <param name="tile">The distance tile, row-major, <paramref name="tileRows"/> × <paramref name="tileColumns"/>.</param>
    /// <param name="ldc">Row stride of the tile.</param>
    /// <param name="tileRows">Tile rows (references).</param>
    /// <param name="tileColumns">Tile columns (result rows).</param>
    /// <param name="rowStart">Result row of tile column 0.</param>
    /// <param name="referenceStart">Reference index of tile row 0.</param>
    /// <param name="excludeSelf">Skip the pair whose reference index equals the result row.</param>
    public void AddTileTransposed(ReadOnlySpan<float> tile, int ldc, int tileRows, int tileColumns, int rowStart, int referenceStart, bool excludeSelf = false)
    {
        CheckTile(tile.Length, ldc, tileRows, tileColumns, rowStart, tileColumns, referenceStart, tileRows);
        if (tileRows == 0 || tileColumns == 0)
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
                    AddColumnRun((float*)address + ((nint)r * ldc) + c0, width, rowStart + c0, referenceStart + r, excludeSelf);
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
    /// Drops the candidates that the final thresholds exclude and returns the lists, each row sorted by reference index;
    /// the accumulator must not be used after (its buffers are released).
    /// </summary>
    public CandidateLists Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The candidate accumulator was already completed.");
        }
        _completed = true;
        Parallel.For(0, Rows, row =>
        {
            Compact(row);
            int count = _counts[row];
            if (count > 1)
            {
                (int[] indices, float[] distances, int start) = Storage(row);
                Array.Sort(indices, distances, start, count);
            }
        });
        var offsets = new int[Rows + 1];
        for (int row = 0; row < Rows; row++)
        {
            offsets[row + 1] = checked(offsets[row] + _counts[row]);
        }
        var candidates = new int[offsets[Rows]];
        var candidateDistances = new float[offsets[Rows]];
        for (int row = 0; row < Rows; row++)
        {
            int count = _counts[row];
            if (count > 0)
            {
                (int[] indices, float[] distances, int start) = Storage(row);
                indices.AsSpan(start, count).CopyTo(candidates.AsSpan(offsets[row]));
                distances.AsSpan(start, count).CopyTo(candidateDistances.AsSpan(offsets[row]));
            }
        }
        _slab = null;
        _slabDistances = null;
        _own = null;
        _ownDistances = null;
        return new CandidateLists(Rows, _k, offsets, candidates, candidateDistances);
    }

    private void CheckTile(int length, int ldc, int tileRows, int tileColumns, int rowStart, int resultRows, int referenceStart, int referenceCount)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The candidate accumulator was already completed.");
        }
        GemmArguments.CheckMatrix(length, tileRows, tileColumns, ldc, "tile");
        if (rowStart < 0 || rowStart + resultRows > Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(rowStart), $"rows {rowStart}..{rowStart + resultRows} are outside 0..{Rows}.");
        }
        if (referenceStart < 0 || referenceStart + referenceCount > _referenceNorms.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(referenceStart), $"references {referenceStart}..{referenceStart + referenceCount} have no norms (0..{_referenceNorms.Length}).");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddRow(int row, float* values, int count, int referenceStart, int self)
    {
        float prefilter = _prefilter[row];
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<float>.Count <= count; j += Vector512<float>.Count)
            {
                ulong mask = Vector512.LessThanOrEqual(Vector512.Load(values + j), Vector512.Create(prefilter)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int t = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    if (referenceStart + j + t != self)
                    {
                        prefilter = Offer(row, values[j + t], referenceStart + j + t);
                    }
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
            {
                uint mask = Vector256.LessThanOrEqual(Vector256.Load(values + j), Vector256.Create(prefilter)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int t = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    if (referenceStart + j + t != self)
                    {
                        prefilter = Offer(row, values[j + t], referenceStart + j + t);
                    }
                }
            }
        }
        for (; j < count; j++)
        {
            if (values[j] <= prefilter && referenceStart + j != self)
            {
                prefilter = Offer(row, values[j], referenceStart + j);
            }
        }
    }

    /// <summary>
    /// One tile row read as a run of result rows: values[c] is the distance of row <c>row0 + c</c> to
    /// <paramref name="reference"/>, compared against the rows' own pre-filters (contiguous, so a vector compare).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddColumnRun(float* values, int width, int row0, int reference, bool excludeSelf)
    {
        int c = 0;
        fixed (float* prefilter = _prefilter)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + Vector512<float>.Count <= width; c += Vector512<float>.Count)
                {
                    ulong mask = Vector512.LessThanOrEqual(Vector512.Load(values + c), Vector512.Load(prefilter + row0 + c)).ExtractMostSignificantBits();
                    while (mask != 0)
                    {
                        int t = BitOperations.TrailingZeroCount(mask);
                        mask &= mask - 1;
                        int row = row0 + c + t;
                        if (!(excludeSelf && row == reference))
                        {
                            Offer(row, values[c + t], reference);
                        }
                    }
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; c + Vector256<float>.Count <= width; c += Vector256<float>.Count)
                {
                    uint mask = Vector256.LessThanOrEqual(Vector256.Load(values + c), Vector256.Load(prefilter + row0 + c)).ExtractMostSignificantBits();
                    while (mask != 0)
                    {
                        int t = BitOperations.TrailingZeroCount(mask);
                        mask &= mask - 1;
                        int row = row0 + c + t;
                        if (!(excludeSelf && row == reference))
                        {
                            Offer(row, values[c + t], reference);
                        }
                    }
                }
            }
            for (; c < width; c++)
            {
                int row = row0 + c;
                if (values[c] <= prefilter[row] && !(excludeSelf && row == reference))
                {
                    Offer(row, values[c], reference);
                }
            }
        }
    }

    /// <summary>Applies the rule to one pair and returns the row's pre-filter threshold afterwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private float Offer(int row, float distance, int reference)
    {
        double e = _beta * ((double)_rowNorms[row] + _referenceNorms[reference]);
        double lower = distance - e;
        double limit = _limits[row];
        if (lower > limit)
        {
            return _prefilter[row];
        }
        int k = _k;
        float upper = RoundUp(distance + e);
        Span<float> heap = _uppers.AsSpan(row * k, k);
        ref int filled = ref _upperCounts[row];
        bool changed = false;
        if (filled < k)
        {
            HeapPush(heap, filled++, upper);
            changed = filled == k;
        }
        else if (upper < heap[0])
        {
            HeapReplaceRoot(heap, upper);
            changed = true;
        }
        if (changed)
        {
            limit = heap[0];
            _limits[row] = heap[0];
            _prefilter[row] = RoundUp(limit + (_beta * (_rowNorms[row] + _maxReferenceNorm)));
        }
        if (lower <= limit)
        {
            Append(row, reference, distance);
        }
        return _prefilter[row];
    }

    /// <summary>Row <paramref name="row"/>'s candidate buffer: its slab segment, or its own arrays once it outgrew the slab.</summary>
    private (int[] Indices, float[] Distances, int Start) Storage(int row)
    {
        int[]? own = _own![row];
        return own is null ? (_slab!, _slabDistances!, row * _slabCapacity) : (own, _ownDistances![row]!, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(int row, int reference, float distance)
    {
        ref int count = ref _counts[row];
        (int[] indices, float[] distances, int start) = Storage(row);
        int capacity = ReferenceEquals(indices, _slab) ? _slabCapacity : indices.Length;
        if (count == capacity)
        {
            Compact(row);
            if (capacity - count < capacity / 4)
            {
                int grown = checked(capacity * 2);
                var newIndices = new int[grown];
                var newDistances = new float[grown];
                indices.AsSpan(start, count).CopyTo(newIndices);
                distances.AsSpan(start, count).CopyTo(newDistances);
                _own![row] = newIndices;
                _ownDistances![row] = newDistances;
                (indices, distances, start) = (newIndices, newDistances, 0);
            }
        }
        indices[start + count] = reference;
        distances[start + count] = distance;
        count++;
    }

    /// <summary>Removes the row's candidates whose lower end D̂ − e exceeds its current limit T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compact(int row)
    {
        int count = _counts[row];
        if (count == 0)
        {
            return;
        }
        double limit = _limits[row];
        double rowNorm = _rowNorms[row];
        (int[] indices, float[] distances, int start) = Storage(row);
        int kept = 0;
        for (int i = start; i < start + count; i++)
        {
            int reference = indices[i];
            if (distances[i] - (_beta * (rowNorm + _referenceNorms[reference])) <= limit)
            {
                indices[start + kept] = reference;
                distances[start + kept] = distances[i];
                kept++;
            }
        }
        _counts[row] = kept;
    }

    /// <summary>Adds <paramref name="value"/> to a max-heap of <paramref name="count"/> floats.</summary>
    private static void HeapPush(Span<float> heap, int count, float value)
    {
        int position = count;
        while (position > 0)
        {
            int parent = (position - 1) >> 1;
            if (heap[parent] >= value)
            {
                break;
            }
            heap[position] = heap[parent];
            position = parent;
        }
        heap[position] = value;
    }

    /// <summary>Replaces the root (largest) of a full max-heap with a smaller <paramref name="value"/>.</summary>
    private static void HeapReplaceRoot(Span<float> heap, float value)
    {
        int count = heap.Length;
        int position = 0;
        while (true)
        {
            int child = (2 * position) + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && heap[child + 1] > heap[child])
            {
                child++;
            }
            if (heap[child] <= value)
            {
                break;
            }
            heap[position] = heap[child];
            position = child;
        }
        heap[position] = value;
    }

    /// <summary>The smallest float32 not below <paramref name="value"/> (so a float compare never rejects a double-admitted key).</summary>
    private static float RoundUp(double value)
    {
        float f = (float)value;
        return f < value ? MathF.BitIncrement(f) : f;
    }
}

/// <summary>
/// Candidate references per row in compressed-row form: row i's candidates are <c>Indices[Offsets[i] .. Offsets[i+1])</c>,
/// sorted by reference index, with their float32 squared distances at the same positions of <c>Distances</c>.
/// </summary>
/// <param name="Rows">Number of rows.</param>
/// <param name="K">The k the candidates were selected for.</param>
/// <param name="Offsets">Row starts, length Rows + 1.</param>
/// <param name="Indices">Candidate reference indices.</param>
/// <param name="Distances">Their float32 squared distances.</param>
internal sealed record CandidateLists(int Rows, int K, int[] Offsets, int[] Indices, float[] Distances)
{
    /// <summary>The candidates of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => Indices.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Number of candidates of row <paramref name="row"/>.</summary>
    public int CountOf(int row) => Offsets[row + 1] - Offsets[row];
}
