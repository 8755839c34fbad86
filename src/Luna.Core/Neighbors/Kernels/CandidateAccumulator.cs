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
/// <para>Rule, per row i with float32 squared norm n̂_i: each pair gets e_j = β(d)·(n̂_i + n̂_j); the row keeps
/// reference j while its lower end D̂_j − e_j ≤ T, where T is the k-th smallest upper end D̂_j + e_j (rounded up to
/// float32, which only widens T) among the row's current candidates, recomputed whenever the row's buffer fills
/// (compaction: T is updated, entries whose lower end exceeds it are dropped, and the buffer doubles only when nothing
/// could be dropped). That T equals the k-th smallest upper end over everything offered so far: a reference
/// with an upper end at or below that value also has its lower end below every T the row has had, so it was never
/// rejected or dropped; between compactions T is merely larger, which admits a few extra entries, never too few. The
/// result is k entries plus the near-ties within the error margin: usually k + a few, at worst (all references within
/// the margin, as for identical points or data far from the origin) every reference.</para>
/// <para>Memory per row: a candidate buffer of k + max(4, k/4) entries of 8 bytes (index and float32 distance) in one
/// shared slab, a row that outgrows it (ties, data far from the origin) moving to its own arrays; with the row's
/// threshold, pre-filter, count, norm and overflow reference about 8k + 60 bytes per row for k ≥ 16. The per-row state
/// is unmanaged memory, freed by <see cref="Complete"/> (which hands on only the packed indices) or <see cref="Dispose"/>.</para>
/// <para>A SIMD pre-filter compares each tile row against T + β·(n̂_i + max_j n̂_j), rounded up to float32, so most
/// keys cost one vector compare. Rows may be fed by tiles in any order (direct or transposed for a self-join); tiles
/// touching disjoint rows may be added concurrently.</para>
/// </remarks>
internal sealed unsafe class CandidateAccumulator : IDisposable
{
    private const int ParallelWork = 1 << 16;
    private const int ColumnBlock = 64;

    private readonly int _k;
    private readonly int _slabCapacity;
    private readonly double _beta;
    private readonly float[] _rowNorms;
    private readonly float[] _referenceNorms;
    private readonly double _maxReferenceNorm;
    private readonly NativeArray<float> _limitsBlock;
    private readonly NativeArray<float> _prefilterBlock;
    private readonly NativeArray<int> _countsBlock;
    private readonly float* _limits;
    private readonly float* _prefilter;
    private readonly int* _counts;
    private NativeArray<int>? _slab;
    private NativeArray<float>? _slabDistances;
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
        _slabCapacity = k + Math.Max(4, k / 4);
        _beta = centered ? Float32DistanceBound.CenteredCoefficient(d) : Float32DistanceBound.Coefficient(d);
        _rowNorms = rowNorms[..rows].ToArray();
        _referenceNorms = referenceNorms.ToArray();
        float max = 0f;
        foreach (float norm in referenceNorms)
        {
            max = MathF.Max(max, norm);
        }
        _maxReferenceNorm = max;
        _limitsBlock = new NativeArray<float>(rows);
        _prefilterBlock = new NativeArray<float>(rows);
        _countsBlock = new NativeArray<int>(rows);
        _slab = new NativeArray<int>((long)rows * _slabCapacity);
        _slabDistances = new NativeArray<float>((long)rows * _slabCapacity);
        _limits = _limitsBlock.Pointer;
        _prefilter = _prefilterBlock.Pointer;
        _counts = _countsBlock.Pointer;
        _limitsBlock.Span.Fill(float.PositiveInfinity);
        _prefilterBlock.Span.Fill(float.PositiveInfinity);
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
    /// the accumulator must not be used after. The lists are packed in place into the accumulator's own buffer, so
    /// completing allocates nothing of the size of the candidates.
    /// </summary>
    public CandidateLists Complete()
    {
        ThrowIfCompleted();
        _completed = true;
        Parallel.For(0, Rows, row =>
        {
            Compact(row);
            int count = _counts[row];
            if (count > 1)
            {
                Storage(row, out Span<int> indices, out Span<float> distances);
                indices[..count].Sort(distances[..count]);
            }
        });
        // Packing row r into [offsets[r], offsets[r+1]) of the slab, rows in order, overwrites no entry not yet moved as
        // long as offsets[r+1] ≤ (r+1)·capacity, where row r+1's segment starts; rows that outgrew the slab can break
        // that, and then the lists go to a new block.
        var offsets = new int[Rows + 1];
        bool inPlace = true;
        for (int row = 0; row < Rows; row++)
        {
            offsets[row + 1] = checked(offsets[row] + _counts[row]);
            inPlace &= offsets[row + 1] <= (long)(row + 1) * _slabCapacity;
        }
        // Only the indices go on (the re-rank recomputes distances exactly), so the float32 distances are freed first.
        _slabDistances!.Dispose();
        _slabDistances = null;
        NativeArray<int> slab = _slab!;
        NativeArray<int> packed = inPlace ? slab : new NativeArray<int>(offsets[Rows]);
        for (int row = 0; row < Rows; row++)
        {
            int count = _counts[row];
            int[]? own = _own![row];
            ReadOnlySpan<int> indices = own ?? slab.Slice((long)row * _slabCapacity, count);
            indices[..count].CopyTo(packed.Slice(offsets[row], count));
        }
        if (!inPlace)
        {
            slab.Dispose();
        }
        _slab = null;
        _slabDistances = null;
        _own = null;
        _ownDistances = null;
        DisposeState();
        return new CandidateLists(Rows, _k, offsets, packed);
    }

    /// <summary>Frees the accumulator's buffers (those not handed to the lists of <see cref="Complete"/>).</summary>
    public void Dispose()
    {
        _completed = true;
        _slab?.Dispose();
        _slabDistances?.Dispose();
        _slab = null;
        _slabDistances = null;
        DisposeState();
    }

    private void DisposeState()
    {
        _limitsBlock.Dispose();
        _prefilterBlock.Dispose();
        _countsBlock.Dispose();
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The candidate accumulator was already completed or disposed.");
        }
    }

    private void CheckTile(int length, int ldc, int tileRows, int tileColumns, int rowStart, int resultRows, int referenceStart, int referenceCount)
    {
        ThrowIfCompleted();
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
        float* prefilter = _prefilter;
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
        if (distance - e <= _limits[row])
        {
            Append(row, reference, distance);
        }
        return _prefilter[row];
    }

    /// <summary>Row <paramref name="row"/>'s candidate buffer (its whole capacity): its slab segment, or its own arrays once it outgrew the slab.</summary>
    private void Storage(int row, out Span<int> indices, out Span<float> distances)
    {
        int[]? own = _own![row];
        if (own is null)
        {
            indices = _slab!.Slice((long)row * _slabCapacity, _slabCapacity);
            distances = _slabDistances!.Slice((long)row * _slabCapacity, _slabCapacity);
        }
        else
        {
            indices = own;
            distances = _ownDistances![row]!;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(int row, int reference, float distance)
    {
        ref int count = ref _counts[row];
        Storage(row, out Span<int> indices, out Span<float> distances);
        int capacity = indices.Length;
        if (count == capacity)
        {
            Compact(row);
            if (count == capacity)
            {
                int grown = checked(capacity * 2);
                var newIndices = new int[grown];
                var newDistances = new float[grown];
                indices[..count].CopyTo(newIndices);
                distances[..count].CopyTo(newDistances);
                _own![row] = newIndices;
                _ownDistances![row] = newDistances;
                indices = newIndices;
                distances = newDistances;
            }
        }
        indices[count] = reference;
        distances[count] = distance;
        count++;
    }

    /// <summary>
    /// Updates the row's limit T to the k-th smallest upper end among its candidates (when it has k) and removes the
    /// candidates whose lower end D̂ − e exceeds it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compact(int row)
    {
        int count = _counts[row];
        if (count < _k)
        {
            return;
        }
        double rowNorm = _rowNorms[row];
        Storage(row, out Span<int> indices, out Span<float> distances);
        float limit = KthSmallestUpper(indices[..count], distances[..count], rowNorm);
        if (limit < _limits[row])
        {
            _limits[row] = limit;
            _prefilter[row] = RoundUp(limit + (_beta * (rowNorm + _maxReferenceNorm)));
        }
        double bound = _limits[row];
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            int reference = indices[i];
            if (distances[i] - (_beta * (rowNorm + _referenceNorms[reference])) <= bound)
            {
                indices[kept] = reference;
                distances[kept] = distances[i];
                kept++;
            }
        }
        _counts[row] = kept;
    }

    /// <summary>The k-th smallest of RoundUp(D̂_j + e_j) over the given candidates (at least k of them).</summary>
    private float KthSmallestUpper(ReadOnlySpan<int> indices, ReadOnlySpan<float> distances, double rowNorm)
    {
        int count = indices.Length;
        int larger = count - _k;
        if (larger < 16)
        {
            // The k-th smallest is the (count − k + 1)-th largest: keep the count − k + 1 largest, descending.
            Span<float> top = stackalloc float[larger + 1];
            int filled = 0;
            for (int i = 0; i < count; i++)
            {
                float upper = RoundUp(distances[i] + (_beta * (rowNorm + _referenceNorms[indices[i]])));
                int at;
                if (filled <= larger)
                {
                    at = filled++;
                }
                else if (upper > top[larger])
                {
                    at = larger;
                }
                else
                {
                    continue;
                }
                while (at > 0 && top[at - 1] < upper)
                {
                    top[at] = top[at - 1];
                    at--;
                }
                top[at] = upper;
            }
            return top[larger];
        }
        float[] uppers = System.Buffers.ArrayPool<float>.Shared.Rent(count);
        for (int i = 0; i < count; i++)
        {
            uppers[i] = RoundUp(distances[i] + (_beta * (rowNorm + _referenceNorms[indices[i]])));
        }
        Span<float> values = uppers.AsSpan(0, count);
        values.Sort();
        float kth = values[_k - 1];
        System.Buffers.ArrayPool<float>.Shared.Return(uppers);
        return kth;
    }

    /// <summary>The smallest float32 not below <paramref name="value"/> (so a float compare never rejects a double-admitted key).</summary>
    private static float RoundUp(double value)
    {
        float f = (float)value;
        return f < value ? MathF.BitIncrement(f) : f;
    }
}

/// <summary>
/// Candidate references per row in compressed-row form: row i's candidates are entries <c>Offsets[i] .. Offsets[i+1]</c>,
/// sorted by reference index. The entries live in a managed array (built by hand) or in an unmanaged block handed over by
/// <see cref="CandidateAccumulator.Complete"/>, freed by <see cref="Dispose"/>.
/// </summary>
internal sealed class CandidateLists : IDisposable
{
    private readonly int[]? _indices;
    private readonly NativeArray<int>? _nativeIndices;

    /// <summary>Lists over a managed array.</summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="k">The k the candidates were selected for.</param>
    /// <param name="offsets">Row starts, length rows + 1.</param>
    /// <param name="indices">Candidate reference indices (at least offsets[rows] of them).</param>
    public CandidateLists(int rows, int k, int[] offsets, int[] indices)
    {
        Rows = rows;
        K = k;
        Offsets = offsets;
        _indices = indices;
        Capacity = indices.Length;
    }

    /// <summary>Lists over an unmanaged block, which they own.</summary>
    internal CandidateLists(int rows, int k, int[] offsets, NativeArray<int> indices)
    {
        Rows = rows;
        K = k;
        Offsets = offsets;
        _nativeIndices = indices;
        Capacity = indices.Length;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>The k the candidates were selected for.</summary>
    public int K { get; }

    /// <summary>Row starts, length Rows + 1; <c>Offsets[Rows]</c> is the number of candidates.</summary>
    public int[] Offsets { get; }

    /// <summary>Entries the storage holds (at least <c>Offsets[Rows]</c> for valid lists).</summary>
    public int Capacity { get; }

    /// <summary>All candidate indices, rows one after the other.</summary>
    public ReadOnlySpan<int> AllIndices => _indices is not null ? _indices.AsSpan(0, Offsets[Rows]) : _nativeIndices!.Slice(0, Offsets[Rows]);

    /// <summary>The candidates of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<int> IndicesOf(int row)
        => _indices is not null
            ? _indices.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row])
            : _nativeIndices!.Slice(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>Number of candidates of row <paramref name="row"/>.</summary>
    public int CountOf(int row) => Offsets[row + 1] - Offsets[row];

    /// <summary>Frees the unmanaged entries, if any.</summary>
    public void Dispose() => _nativeIndices?.Dispose();
}
