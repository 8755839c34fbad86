using Luna.Core.Data;

namespace Luna.Core.Neighbors;

/// <summary>
/// Exact k-nearest neighbours by brute force, Euclidean distance in double precision, working in tiles of
/// queries × references so that memory stays bounded (about 1 MB per worker) for any n, with the query tiles
/// spread over all cores.
/// </summary>
/// <remarks>
/// <para>Cost: m × n distance evaluations of d terms for <see cref="Search"/>, n × n for <see cref="SearchSelf"/>.</para>
/// <para>Top-k is kept per query in a bounded insertion buffer of k entries (rows are never sorted whole).
/// Ordering is by (distance, reference index): equal distances go to the lower reference index, so results are
/// deterministic and independent of the tiling and the number of threads.</para>
/// <para>The index keeps a reference to the matrix it was built on; do not modify the matrix while the index is in use.
/// Searches are thread-safe.</para>
/// </remarks>
public sealed class ExactNeighborIndex : INeighborIndex
{
    /// <summary>Default number of query rows per tile.</summary>
    public const int DefaultQueryTileRows = 32;

    /// <summary>Default byte budget of one reference tile held as doubles (the reference tile rows are this / (8 d)).</summary>
    public const int DefaultReferenceTileBytes = 512 * 1024;

    private readonly FeatureMatrix _references;
    private readonly int _queryTileRows;
    private readonly int _referenceTileRows;

    /// <summary>Builds the index over <paramref name="references"/> (n × d).</summary>
    /// <param name="references">The reference points; kept by reference, not copied.</param>
    /// <param name="queryTileRows">Query rows per tile; 0 = <see cref="DefaultQueryTileRows"/>.</param>
    /// <param name="referenceTileRows">Reference rows per tile; 0 = chosen from <see cref="DefaultReferenceTileBytes"/> and d (16 to 4096).</param>
    public ExactNeighborIndex(FeatureMatrix references, int queryTileRows = 0, int referenceTileRows = 0)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentOutOfRangeException.ThrowIfNegative(queryTileRows);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceTileRows);
        _references = references;
        _queryTileRows = queryTileRows > 0 ? queryTileRows : DefaultQueryTileRows;
        _referenceTileRows = referenceTileRows > 0
            ? referenceTileRows
            : Math.Clamp(DefaultReferenceTileBytes / (8 * Math.Max(1, references.Columns)), 16, 4096);
    }

    /// <inheritdoc />
    public int Count => _references.Rows;

    /// <inheritdoc />
    public int Dimension => _references.Columns;

    /// <inheritdoc />
    public NeighborResult Search(FeatureMatrix queries, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Columns != Dimension)
        {
            throw new ArgumentException($"queries have {queries.Columns} columns, the references {Dimension}.", nameof(queries));
        }
        return Run(queries, Math.Min(k, Count), excludeSelf: false, cancellationToken);
    }

    /// <inheritdoc />
    public NeighborResult SearchSelf(int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return Run(_references, Math.Min(k, Math.Max(0, Count - 1)), excludeSelf: true, cancellationToken);
    }

    private NeighborResult Run(FeatureMatrix queries, int k, bool excludeSelf, CancellationToken cancellationToken)
    {
        int m = queries.Rows;
        var indices = new int[checked(m * k)];
        var distances = new double[m * k];
        if (m == 0 || k == 0)
        {
            return new NeighborResult(indices, distances, m, k);
        }
        int d = Dimension;
        int n = Count;
        int queryTile = _queryTileRows;
        int referenceTile = Math.Min(_referenceTileRows, n);
        int tiles = (m + queryTile - 1) / queryTile;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(
            0,
            tiles,
            options,
            () => new Workspace(queryTile, referenceTile, d),
            (tile, state, work) =>
            {
                int qStart = tile * queryTile;
                int qCount = Math.Min(queryTile, m - qStart);
                ExactDistanceKernel.LoadTile(queries, qStart, qCount, work.Queries);
                Array.Clear(work.Filled, 0, qCount);
                for (int rStart = 0; rStart < n; rStart += referenceTile)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        state.Stop();
                        return work;
                    }
                    int rCount = Math.Min(referenceTile, n - rStart);
                    ExactDistanceKernel.LoadTile(_references, rStart, rCount, work.References);
                    for (int q = 0; q < qCount; q++)
                    {
                        int query = qStart + q;
                        ExactDistanceKernel.Distances(work.Queries.AsSpan(q * d, d), work.References, rCount, d, work.Row);
                        Span<double> topDistances = distances.AsSpan(query * k, k);
                        Span<int> topIndices = indices.AsSpan(query * k, k);
                        ref int filled = ref work.Filled[q];
                        for (int r = 0; r < rCount; r++)
                        {
                            int reference = rStart + r;
                            if (excludeSelf && reference == query)
                            {
                                continue;
                            }
                            Insert(topDistances, topIndices, ref filled, work.Row[r], reference);
                        }
                    }
                }
                return work;
            },
            _ => { });
        cancellationToken.ThrowIfCancellationRequested();
        return new NeighborResult(indices, distances, m, k);
    }

    /// <summary>
    /// Inserts (distance, index) into a buffer of the best entries so far, kept sorted by (distance, index);
    /// when the buffer is full the worst entry falls out.
    /// </summary>
    internal static void Insert(Span<double> distances, Span<int> indices, ref int filled, double distance, int index)
    {
        int k = distances.Length;
        int position;
        if (filled == k)
        {
            double worst = distances[k - 1];
            if (!(distance < worst || (distance == worst && index < indices[k - 1])))
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
            double previous = distances[position - 1];
            if (!(distance < previous || (distance == previous && index < indices[position - 1])))
            {
                break;
            }
            distances[position] = previous;
            indices[position] = indices[position - 1];
            position--;
        }
        distances[position] = distance;
        indices[position] = index;
    }

    private sealed class Workspace
    {
        public Workspace(int queryTile, int referenceTile, int d)
        {
            Queries = new double[queryTile * d];
            References = new double[referenceTile * d];
            Row = new double[referenceTile];
            Filled = new int[queryTile];
        }

        public double[] Queries { get; }

        public double[] References { get; }

        public double[] Row { get; }

        public int[] Filled { get; }
    }
}
