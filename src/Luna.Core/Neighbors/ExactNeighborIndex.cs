using System.Runtime.InteropServices;
using Luna.Core.Data;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Neighbors;

/// <summary>Which engine an <see cref="ExactNeighborIndex"/> search runs (both give identical results).</summary>
internal enum ExactEngine
{
    /// <summary><see cref="Gemm"/> when the work is large enough to pay for it, else <see cref="Direct"/>.</summary>
    Auto,

    /// <summary>Every distance directly in double precision (<see cref="ExactDistance.Squared"/>).</summary>
    Direct,

    /// <summary>Float32 distance tiles from a GEMM kernel, error-bounded candidates, exact double re-rank of the candidates.</summary>
    Gemm,
}

/// <summary>
/// Exact k-nearest neighbours, Euclidean distance: identical to a brute-force search that ranks every reference by its
/// squared distance computed in double precision (ties to the lower reference index), at the speed of a float32 matrix
/// product. Memory stays bounded (tiles); both cores are used.
/// </summary>
/// <remarks>
/// <para><b>Large searches</b> (m·n·d ≥ 2²⁰ for m queries, n references, d ≤ 65,536) run the GEMM engine: per block of
/// queries × block of references a float32 kernel (the managed Vector512/Vector256 SGEMM, or OpenBLAS when it is
/// installed and measured faster: <see cref="KernelDescription"/>) computes the squared distances
/// ‖q‖² + ‖r‖² − 2q·r into a reused tile; a streaming selection keeps, per query, every reference that the proven
/// float32 error bound cannot exclude from the exact top k (usually k plus a fraction of one); at the end those
/// candidates are re-ranked with their exact double-precision squared distances. The self-join (<see cref="SearchSelf"/>)
/// computes only the blocks on and above the diagonal and feeds each off-diagonal block to both its rows and its
/// columns, about half the products. Features far from the origin relative to their spread (where the expansion
/// cancels) are centred on the reference mean for the float32 pass (distances do not change; the re-rank uses the
/// original rows).</para>
/// <para><b>Small searches</b> compute every distance directly in double precision, in tiles spread over the cores.</para>
/// <para>Both engines return the same neighbours and the same distances: sqrt of <see cref="ExactDistance.Squared"/>,
/// rows sorted by (squared distance, reference index), so results are deterministic and independent of the tiling, the
/// kernel and the number of threads.</para>
/// <para>Cost: m × n distance products of d terms for <see cref="Search(FeatureMatrix, int, CancellationToken)"/>, n²/2 for <see cref="SearchSelf"/>. Memory
/// beyond the inputs: one tile (4 MB at the default block sizes), held in unmanaged memory and freed when the search
/// ends, about 8k + 60 bytes of candidate state per result row (also unmanaged), and the m × k result (12k bytes per
/// row).</para>
/// <para>The index keeps a reference to the matrix it was built on; do not modify the matrix while the index is in use.
/// Searches are thread-safe.</para>
/// </remarks>
public sealed class ExactNeighborIndex : INeighborIndex
{
    /// <summary>Default query rows per block of the GEMM engine (the kernels reach full speed from about 1000 rows).</summary>
    public const int DefaultQueryBlockRows = 1024;

    /// <summary>Default reference rows per block of the GEMM engine (a 1024 × 1024 float32 tile is 4 MB).</summary>
    public const int DefaultReferenceBlockRows = 1024;

    /// <summary>Default block rows of the GEMM self-join (square 1024 × 1024 tiles, 4 MB).</summary>
    public const int DefaultSelfBlockRows = 1024;

    /// <summary>Searches with m·n·d below this run the direct engine.</summary>
    internal const long GemmThreshold = 1L << 20;

    private const int DirectQueryTileRows = 32;
    private const int DirectReferenceTileBytes = 256 * 1024;

    /// <summary>Centre the float32 pass when the mean squared norm exceeds this multiple of the mean squared centred norm.</summary>
    private const double CenteringRatio = 16;

    private readonly float[] _references;
    private readonly int _count;
    private readonly int _dimension;
    private readonly int _queryBlockRows;
    private readonly int _referenceBlockRows;
    private readonly ExactEngine _engine;
    private readonly KernelPreference _kernel;
    private readonly Lazy<Prepared> _prepared;

    /// <summary>Builds the index over <paramref name="references"/> (n × d).</summary>
    /// <param name="references">The reference points; kept by reference, not copied.</param>
    /// <param name="queryTileRows">Query rows per tile; 0 = the engine's default (<see cref="DefaultQueryBlockRows"/>, or 32 for small searches).</param>
    /// <param name="referenceTileRows">Reference rows per tile; 0 = the engine's default (<see cref="DefaultReferenceBlockRows"/>, or 256 KB of rows for small searches). The self-join uses square tiles of the smaller of the two (default <see cref="DefaultSelfBlockRows"/>).</param>
    public ExactNeighborIndex(FeatureMatrix references, int queryTileRows = 0, int referenceTileRows = 0)
        : this(references, ExactEngine.Auto, KernelPreference.Auto, queryTileRows, referenceTileRows)
    {
    }

    /// <summary>Builds the index with a fixed engine and kernel (tests and benchmarks compare them).</summary>
    internal ExactNeighborIndex(FeatureMatrix references, ExactEngine engine, KernelPreference kernel, int queryTileRows = 0, int referenceTileRows = 0)
        : this(Check(references).Array, references.Rows, references.Columns, engine, kernel, queryTileRows, referenceTileRows)
    {
    }

    /// <summary>
    /// Builds the index over the first <paramref name="rows"/> rows of a row-major buffer (which may be longer), so that a
    /// caller can search many small reference sets from one reused buffer without allocating a matrix for each.
    /// </summary>
    internal ExactNeighborIndex(float[] data, int rows, int columns, ExactEngine engine = ExactEngine.Auto, KernelPreference kernel = KernelPreference.Auto, int queryTileRows = 0, int referenceTileRows = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.LongLength, (long)rows * columns, nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(queryTileRows);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceTileRows);
        if (engine == ExactEngine.Gemm && columns > Float32DistanceBound.MaxDimension)
        {
            throw new ArgumentException($"the GEMM engine supports d ≤ {Float32DistanceBound.MaxDimension}; the references have d = {columns}.", nameof(engine));
        }
        _references = data;
        _count = rows;
        _dimension = columns;
        _queryBlockRows = queryTileRows;
        _referenceBlockRows = referenceTileRows;
        _engine = engine;
        _kernel = kernel;
        _prepared = new Lazy<Prepared>(() => Prepared.Create(_references, _count, _dimension), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The float32 kernel that large searches run in this process (for example
    /// "managed Vector512 (12x32 micro-tile, ..., 2 threads)" or "OpenBLAS 0.3.21 ..."), and why it was chosen.
    /// Reading it runs the one-off calibration when OpenBLAS is installed.
    /// </summary>
    public static string KernelDescription
    {
        get
        {
            IInnerProductKernel kernel = InnerProductKernels.Get(KernelPreference.Auto);
            return $"{kernel.Description}; {InnerProductKernels.AutoSelectionReason}";
        }
    }

    /// <inheritdoc />
    public int Count => _count;

    /// <inheritdoc />
    public int Dimension => _dimension;

    /// <inheritdoc />
    public NeighborResult Search(FeatureMatrix queries, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Columns != Dimension)
        {
            throw new ArgumentException($"queries have {queries.Columns} columns, the references {Dimension}.", nameof(queries));
        }
        return Search(queries.Array, queries.Rows, k, cancellationToken);
    }

    /// <summary>As <see cref="Search(FeatureMatrix, int, CancellationToken)"/> for the first <paramref name="m"/> rows of a buffer of d columns.</summary>
    internal NeighborResult Search(float[] queries, int m, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queries.LongLength, (long)m * Dimension, nameof(queries));
        k = Math.Min(k, Count);
        if (m == 0 || k == 0)
        {
            return Empty(m, k);
        }
        if (!UseGemm(m))
        {
            return DirectSearch(queries, m, k, excludeSelf: false, cancellationToken);
        }
        using CandidateLists candidates = GemmCandidates(queries, m, k, cancellationToken);
        return Rerank(queries, candidates, k);
    }

    private static FeatureMatrix Check(FeatureMatrix references)
    {
        ArgumentNullException.ThrowIfNull(references);
        return references;
    }

    /// <inheritdoc />
    public NeighborResult SearchSelf(int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        k = Math.Min(k, Math.Max(0, Count - 1));
        if (k == 0)
        {
            return Empty(Count, 0);
        }
        if (!UseGemm(Count))
        {
            return DirectSearch(_references, Count, k, excludeSelf: true, cancellationToken);
        }
        using CandidateLists candidates = GemmSelfJoinCandidates(k, cancellationToken);
        return Rerank(_references, candidates, k);
    }

    /// <summary>
    /// The self-join as <see cref="SearchSelf"/>, its result held in unmanaged memory that the caller releases by
    /// disposing it, for callers that only read it briefly (fitting local densities): the n × k lists then never linger
    /// as garbage under the next allocations.
    /// </summary>
    internal NeighborRows SearchSelfRows(int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        k = Math.Min(k, Math.Max(0, Count - 1));
        if (k == 0 || !UseGemm(Count))
        {
            return new NeighborRows(SearchSelf(k, cancellationToken));
        }
        using CandidateLists candidates = GemmSelfJoinCandidates(k, cancellationToken);
        var rows = new NeighborRows(Count, k);
        try
        {
            unsafe
            {
                ExactReranker.Into(_references, Dimension, _references, Dimension, Dimension, candidates, k, rows.DistancePointer, rows.IndexPointer, rows.CountPointer);
            }
            rows.TakeSquareRoots();
            return rows;
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }

    private static NeighborResult Empty(int m, int k) => new(new int[checked(m * k)], new double[m * k], m, k);

    private bool UseGemm(int m) => _engine switch
    {
        ExactEngine.Gemm => true,
        ExactEngine.Direct => false,
        _ => Dimension <= Float32DistanceBound.MaxDimension && (long)m * Count * Math.Max(1, Dimension) >= GemmThreshold,
    };

    private CandidateLists GemmCandidates(float[] queries, int m, int k, CancellationToken cancellationToken)
    {
        Prepared prepared = _prepared.Value;
        IInnerProductKernel kernel = InnerProductKernels.Get(_kernel);
        int n = Count;
        int d = Dimension;
        float[] q = prepared.Mean is null ? queries : prepared.Center(queries, m);
        float[] queryNorms = RowNorms.Compute(q, m, d);
        int blockRows = Math.Min(_queryBlockRows > 0 ? _queryBlockRows : DefaultQueryBlockRows, m);
        int blockColumns = Math.Min(_referenceBlockRows > 0 ? _referenceBlockRows : DefaultReferenceBlockRows, n);
        using var accumulator = new CandidateAccumulator(m, k, d, queryNorms, prepared.Norms, centered: prepared.Mean is not null);
        using (var tile = new NativeArray<float>((long)blockRows * blockColumns))
        {
            for (int i0 = 0; i0 < m; i0 += blockRows)
            {
                int rows = Math.Min(blockRows, m - i0);
                for (int j0 = 0; j0 < n; j0 += blockColumns)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int columns = Math.Min(blockColumns, n - j0);
                    kernel.SquaredDistances(
                        q.AsSpan(i0 * d), d, queryNorms.AsSpan(i0), prepared.Points.AsSpan(j0 * d), d, prepared.Norms.AsSpan(j0),
                        tile.Span, blockColumns, rows, columns, d);
                    accumulator.AddTile(tile.Span, blockColumns, i0, rows, j0, columns);
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        return accumulator.Complete();
    }

    private CandidateLists GemmSelfJoinCandidates(int k, CancellationToken cancellationToken)
    {
        Prepared prepared = _prepared.Value;
        IInnerProductKernel kernel = InnerProductKernels.Get(_kernel);
        int n = Count;
        int d = Dimension;
        float[] x = prepared.Points;
        float[] norms = prepared.Norms;
        int block = _queryBlockRows > 0 || _referenceBlockRows > 0
            ? Math.Min(_queryBlockRows > 0 ? _queryBlockRows : int.MaxValue, _referenceBlockRows > 0 ? _referenceBlockRows : int.MaxValue)
            : DefaultSelfBlockRows;
        block = Math.Min(block, n);
        using var accumulator = new CandidateAccumulator(n, k, d, norms, norms, centered: prepared.Mean is not null);
        using (var tile = new NativeArray<float>((long)block * block))
        {
            Span<float> c = tile.Span;
            for (int i0 = 0; i0 < n; i0 += block)
            {
                int rows = Math.Min(block, n - i0);
                cancellationToken.ThrowIfCancellationRequested();
                kernel.SymmetricSquaredDistances(x.AsSpan(i0 * d), d, norms.AsSpan(i0), c, block, rows, d, mirror: true);
                accumulator.AddTile(c, block, i0, rows, i0, rows, excludeSelf: true);
                for (int j0 = i0 + block; j0 < n; j0 += block)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int columns = Math.Min(block, n - j0);
                    kernel.SquaredDistances(x.AsSpan(i0 * d), d, norms.AsSpan(i0), x.AsSpan(j0 * d), d, norms.AsSpan(j0), c, block, rows, columns, d);
                    accumulator.AddTile(c, block, i0, rows, j0, columns);
                    accumulator.AddTileTransposed(c, block, rows, columns, j0, i0);
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        return accumulator.Complete();
    }

    /// <summary>Exact re-rank of the candidates against the original rows; the squared keys become distances in place.</summary>
    private NeighborResult Rerank(float[] queries, CandidateLists candidates, int k)
    {
        int m = candidates.Rows;
        int d = Dimension;
        TopKResult<double> top = ExactReranker.Rerank(queries, d, _references, d, Count, d, candidates, k);
        double[] distances = top.Keys;
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = Math.Sqrt(distances[i]);
        }
        return new NeighborResult(top.Indices, distances, m, k);
    }

    private NeighborResult DirectSearch(float[] q, int m, int k, bool excludeSelf, CancellationToken cancellationToken)
    {
        var indices = new int[checked(m * k)];
        var distances = new double[m * k];
        int d = Dimension;
        int n = Count;
        int queryTile = _queryBlockRows > 0 ? _queryBlockRows : DirectQueryTileRows;
        int referenceTile = Math.Min(
            n,
            _referenceBlockRows > 0 ? _referenceBlockRows : Math.Clamp(DirectReferenceTileBytes / (4 * Math.Max(1, d)), 16, 4096));
        int tiles = (m + queryTile - 1) / queryTile;
        float[] r = _references;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(
            0,
            tiles,
            options,
            () => new int[queryTile],
            (tile, state, filled) =>
            {
                int qStart = tile * queryTile;
                int qCount = Math.Min(queryTile, m - qStart);
                Array.Clear(filled, 0, qCount);
                for (int rStart = 0; rStart < n; rStart += referenceTile)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        state.Stop();
                        return filled;
                    }
                    int rCount = Math.Min(referenceTile, n - rStart);
                    for (int i = 0; i < qCount; i++)
                    {
                        int query = qStart + i;
                        ReadOnlySpan<float> row = q.AsSpan(query * d, d);
                        Span<double> topDistances = distances.AsSpan(query * k, k);
                        Span<int> topIndices = indices.AsSpan(query * k, k);
                        for (int reference = rStart; reference < rStart + rCount; reference++)
                        {
                            if (excludeSelf && reference == query)
                            {
                                continue;
                            }
                            Insert(topDistances, topIndices, ref filled[i], ExactDistance.Squared(row, r.AsSpan(reference * d, d)), reference);
                        }
                    }
                }
                return filled;
            },
            _ => { });
        cancellationToken.ThrowIfCancellationRequested();
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = Math.Sqrt(distances[i]);
        }
        return new NeighborResult(indices, distances, m, k);
    }

    /// <summary>
    /// Inserts (key, index) into a buffer of the best entries so far, kept sorted by (key, index);
    /// when the buffer is full the worst entry falls out.
    /// </summary>
    internal static void Insert(Span<double> keys, Span<int> indices, ref int filled, double key, int index)
    {
        int k = keys.Length;
        int position;
        if (filled == k)
        {
            double worst = keys[k - 1];
            if (!(key < worst || (key == worst && index < indices[k - 1])))
            {
                return;
            }
            position = k - 1;
        }
        else
        {
            position = filled++;
        }
        while (position > 0)
        {
            double previous = keys[position - 1];
            if (!(key < previous || (key == previous && index < indices[position - 1])))
            {
                break;
            }
            keys[position] = previous;
            indices[position] = indices[position - 1];
            position--;
        }
        keys[position] = key;
        indices[position] = index;
    }

    /// <summary>
    /// What the GEMM engine computes once per index: the float32 rows of its pass (the references themselves, or copies
    /// centred on their mean when they sit far from the origin) and their squared norms.
    /// </summary>
    private sealed class Prepared
    {
        private Prepared(float[] points, float[] norms, double[]? mean)
        {
            Points = points;
            Norms = norms;
            Mean = mean;
        }

        /// <summary>The rows of the float32 pass, n × d.</summary>
        public float[] Points { get; }

        /// <summary>Their float32 squared norms.</summary>
        public float[] Norms { get; }

        /// <summary>The centre μ subtracted from every row of the float32 pass, or null when the rows are used as they are.</summary>
        public double[]? Mean { get; }

        public static Prepared Create(float[] x, int n, int d)
        {
            double[]? mean = null;
            if (n > 1 && d > 0)
            {
                var sum = new double[d];
                double squares = 0;
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<float> row = x.AsSpan(i * d, d);
                    for (int p = 0; p < d; p++)
                    {
                        double v = row[p];
                        sum[p] += v;
                        squares += v * v;
                    }
                }
                double meanNorm = 0;
                for (int p = 0; p < d; p++)
                {
                    sum[p] /= n;
                    meanNorm += sum[p] * sum[p];
                }
                double raw = squares / n;
                if (raw > 0 && raw > CenteringRatio * Math.Max(0, raw - meanNorm))
                {
                    mean = sum;
                }
            }
            float[] points = mean is null ? x : Center(x, n, d, mean);
            return new Prepared(points, RowNorms.Compute(points, n, d), mean);
        }

        /// <summary>A copy of the first <paramref name="rows"/> rows with fl(x − μ) in every row, μ = <see cref="Mean"/>.</summary>
        public float[] Center(float[] x, int rows) => Center(x, rows, Mean!.Length, Mean);

        /// <summary>A copy of the first <paramref name="rows"/> rows with fl(x − μ) in every row (the difference in double, rounded once).</summary>
        private static float[] Center(float[] source, int rows, int d, double[] mean)
        {
            var centred = new float[rows * d];
            Parallel.For(0, rows, i =>
            {
                ReadOnlySpan<float> row = source.AsSpan(i * d, d);
                Span<float> target = centred.AsSpan(i * d, d);
                for (int p = 0; p < d; p++)
                {
                    target[p] = (float)(row[p] - mean[p]);
                }
            });
            return centred;
        }
    }
}
