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
/// T = the k-th smallest upper end D̂_j + e_j seen so far (a bounded max-heap of k values) and keeps reference j while
/// its lower end D̂_j − e_j ≤ T. T only falls as tiles arrive, so entries whose lower end rises above it are dropped
/// when the row's buffer fills (compaction), and the buffer doubles only when more than half of it survives. The
/// result is k entries plus the near-ties within the error margin: usually k + a few, at worst (all references within
/// the margin, as for identical points or data far from the origin) every reference.</para>
/// <para>A SIMD pre-filter compares each tile row against T + β·(n̂_i + max_j n̂_j), rounded up to float32, so most
/// keys cost one vector compare. Rows may be fed by tiles in any order (direct or transposed for a self-join); tiles
/// touching disjoint rows may be added concurrently.</para>
/// </remarks>
internal sealed unsafe class CandidateAccumulator
{
    private const int ParallelWork = 1 << 16;
    private const int ColumnBlock = 64;

    private readonly int _k;
    private readonly double _beta;
    private readonly float[] _rowNorms;
    private readonly float[] _referenceNorms;
    private readonly double _maxReferenceNorm;
    private readonly double[] _uppers;
    private readonly int[] _upperIndices;
    private readonly int[] _upperCounts;
    private readonly double[] _limits;
    private readonly float[] _prefilter;
    private readonly int[][] _candidates;
    private readonly float[][] _candidateDistances;
    private readonly double[][] _candidateLowers;
    private readonly int[] _candidateCounts;
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
        _beta = centered ? Float32DistanceBound.CenteredCoefficient(d) : Float32DistanceBound.Coefficient(d);
        _rowNorms = rowNorms[..rows].ToArray();
        _referenceNorms = referenceNorms.ToArray();
        float max = 0f;
        foreach (float norm in referenceNorms)
        {
            max = MathF.Max(max, norm);
        }
        _maxReferenceNorm = max;
        _uppers = new double[checked(rows * k)];
        _upperIndices = new int[rows * k];
        _upperCounts = new int[rows];
        _limits = new double[rows];
        _limits.AsSpan().Fill(double.PositiveInfinity);
        _prefilter = new float[rows];
        _prefilter.AsSpan().Fill(float.PositiveInfinity);
        _candidates = new int[rows][];
        _candidateDistances = new float[rows][];
        _candidateLowers = new double[rows][];
        _candidateCounts = new int[rows];
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
                    float* values = (float*)address + ((nint)r * ldc) + c0;
                    int reference = referenceStart + r;
                    for (int c = 0; c < width; c++)
                    {
                        int row = rowStart + c0 + c;
                        if (values[c] <= _prefilter[row] && !(excludeSelf && row == reference))
                        {
                            Offer(row, values[c], reference);
                        }
                    }
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
    /// the accumulator must not be used after.
    /// </summary>
    public CandidateLists Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The candidate accumulator was already completed.");
        }
        _completed = true;
        var counts = new int[Rows];
        Parallel.For(0, Rows, row =>
        {
            Compact(row);
            int count = _candidateCounts[row];
            if (count > 0)
            {
                Array.Sort(_candidates[row], _candidateDistances[row], 0, count);
            }
            counts[row] = count;
        });
        var offsets = new int[Rows + 1];
        for (int row = 0; row < Rows; row++)
        {
            offsets[row + 1] = checked(offsets[row] + counts[row]);
        }
        var indices = new int[offsets[Rows]];
        var distances = new float[offsets[Rows]];
        for (int row = 0; row < Rows; row++)
        {
            if (counts[row] > 0)
            {
                _candidates[row].AsSpan(0, counts[row]).CopyTo(indices.AsSpan(offsets[row]));
                _candidateDistances[row].AsSpan(0, counts[row]).CopyTo(distances.AsSpan(offsets[row]));
            }
        }
        return new CandidateLists(Rows, _k, offsets, indices, distances);
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
        ref int upperCount = ref _upperCounts[row];
        Span<double> uppers = _uppers.AsSpan(row * k, k);
        if (KeyIndexHeap.Offer(uppers, _upperIndices.AsSpan(row * k, k), ref upperCount, distance + e, reference) && upperCount == k)
        {
            limit = uppers[0];
            _limits[row] = limit;
            _prefilter[row] = RoundUp(limit + (_beta * (_rowNorms[row] + _maxReferenceNorm)));
        }
        if (lower <= limit)
        {
            Append(row, reference, distance, lower);
        }
        return _prefilter[row];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(int row, int reference, float distance, double lower)
    {
        ref int count = ref _candidateCounts[row];
        int[]? indices = _candidates[row];
        if (indices is null)
        {
            int capacity = (2 * _k) + 16;
            indices = _candidates[row] = new int[capacity];
            _candidateDistances[row] = new float[capacity];
            _candidateLowers[row] = new double[capacity];
        }
        else if (count == indices.Length)
        {
            Compact(row);
            if (count > indices.Length / 2)
            {
                int capacity = checked(indices.Length * 2);
                Array.Resize(ref _candidates[row], capacity);
                Array.Resize(ref _candidateDistances[row], capacity);
                Array.Resize(ref _candidateLowers[row], capacity);
                indices = _candidates[row];
            }
        }
        indices[count] = reference;
        _candidateDistances[row][count] = distance;
        _candidateLowers[row][count] = lower;
        count++;
    }

    /// <summary>Removes the row's candidates whose lower end exceeds its current limit T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compact(int row)
    {
        int count = _candidateCounts[row];
        if (count == 0)
        {
            return;
        }
        double limit = _limits[row];
        int[] indices = _candidates[row];
        float[] distances = _candidateDistances[row];
        double[] lowers = _candidateLowers[row];
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            if (lowers[i] <= limit)
            {
                indices[kept] = indices[i];
                distances[kept] = distances[i];
                lowers[kept] = lowers[i];
                kept++;
            }
        }
        _candidateCounts[row] = kept;
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
