using Cloud.Unum.USearch;
using Luna.Core.Data;
using Luna.Core.Neighbors;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Neighbors.Hnsw;

/// <summary>
/// Approximate k-nearest neighbours with a hierarchical navigable small-world graph (HNSW, USearch), Euclidean distance.
/// The graph proposes the neighbours; their distances are then recomputed exactly in double precision
/// (the same value <see cref="ExactNeighborIndex"/> reports) and each row is sorted by (distance, index), so the only
/// approximation is which neighbours are found (recall), never their distances.
/// </summary>
/// <remarks>
/// <para>Build: n insertions into the graph, spread over <see cref="HnswOptions.BuildThreads"/> threads, about
/// O(n·log n·efConstruction) distance evaluations. Memory: USearch's own float32 copy of the rows (n·d·4 bytes) plus
/// the graph (about n·M·8 bytes). Search: per query about O(log n·ef) distance evaluations, queries spread over the
/// cores. The index keeps a reference to the matrix for the exact distances; do not modify it while the index is in
/// use. Searches are thread-safe. Dispose the index to free the native graph at once (else the finalizer frees it).</para>
/// </remarks>
public sealed class HnswNeighborIndex : INeighborIndex, IDisposable
{
    private readonly FeatureMatrix _references;
    private readonly UsearchNative.UsearchHandle _index;
    private readonly int _expansionSearch;

    /// <summary>Builds the graph over <paramref name="references"/> (n × d, n ≥ 1, d ≥ 1).</summary>
    /// <param name="references">The reference points; kept by reference for the exact distances.</param>
    /// <param name="options">Graph settings; <see cref="HnswOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <exception cref="ArgumentException">The matrix is empty or a setting is out of range.</exception>
    public HnswNeighborIndex(FeatureMatrix references, HnswOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        options ??= HnswOptions.Default;
        Validate(options);
        if (references.Rows == 0 || references.Columns == 0)
        {
            throw new ArgumentException($"an HNSW index needs at least one row and one column; got {references.Rows} × {references.Columns}.", nameof(references));
        }
        _references = references;
        _expansionSearch = options.ExpansionSearch;
        Options = options;
        int n = references.Rows;
        int d = references.Columns;
        _index = UsearchNative.Create(MetricKind.L2sq, ScalarKind.Float32, d, options.Connectivity, options.ExpansionAdd, options.ExpansionSearch, n);
        try
        {
            int threads = options.BuildThreads > 0 ? Math.Min(options.BuildThreads, Environment.ProcessorCount) : Environment.ProcessorCount;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
            Parallel.For(0, n, parallel, i => UsearchNative.AddRow(_index, (ulong)i, references.Row(i)));
        }
        catch
        {
            _index.Dispose();
            throw;
        }
    }

    /// <summary>The settings the graph was built with.</summary>
    public HnswOptions Options { get; }

    /// <inheritdoc />
    public int Count => _references.Rows;

    /// <inheritdoc />
    public int Dimension => _references.Columns;

    /// <summary>The SIMD code path USearch runs on this machine (for benchmark lines), as it reports it.</summary>
    public string HardwareAcceleration => UsearchNative.Acceleration(_index);

    /// <inheritdoc />
    public NeighborResult Search(FeatureMatrix queries, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Columns != Dimension)
        {
            throw new ArgumentException($"queries have {queries.Columns} columns, the references {Dimension}.", nameof(queries));
        }
        return Run(queries, Math.Min(k, Count), self: false, cancellationToken);
    }

    /// <inheritdoc />
    public NeighborResult SearchSelf(int k, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return Run(_references, Math.Min(k, Count - 1), self: true, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _index.Dispose();

    private NeighborResult Run(FeatureMatrix queries, int k, bool self, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_index.IsClosed, this);
        int m = queries.Rows;
        var indices = new int[checked(m * k)];
        var distances = new double[m * k];
        if (m == 0 || k == 0)
        {
            return new NeighborResult(indices, distances, m, k);
        }
        // USearch searches with max(ef, count); asking for the row itself too in a self-join.
        int wanted = Math.Min(Count, self ? k + 1 : k);
        // USearch serves as many concurrent searches as it reserved thread slots (one per hardware thread).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, m, parallel, () => (new ulong[wanted], new float[wanted]), (i, _, buffers) =>
        {
            ReadOnlySpan<float> query = queries.Row(i);
            int found = UsearchNative.SearchRow(_index, query, buffers.Item1, buffers.Item2);
            Span<double> rowKeys = distances.AsSpan(i * k, k);
            Span<int> rowIndices = indices.AsSpan(i * k, k);
            int count = 0;
            for (int j = 0; j < found; j++)
            {
                int reference = (int)buffers.Item1[j];
                if (self && reference == i)
                {
                    continue;
                }
                KeyIndexHeap.Offer(rowKeys, rowIndices, ref count, ExactDistance.Squared(query, _references.Row(reference)), reference);
            }
            if (count < k)
            {
                throw new InvalidOperationException($"the HNSW graph returned {count} neighbours for row {i}, fewer than k = {k}; rebuild with a larger expansion.");
            }
            KeyIndexHeap.SortAscending(rowKeys, rowIndices, count);
            for (int j = 0; j < k; j++)
            {
                rowKeys[j] = Math.Sqrt(rowKeys[j]);
            }
            return buffers;
        }, _ => { });
        return new NeighborResult(indices, distances, m, k);
    }

    private static void Validate(HnswOptions options)
    {
        if (options.Connectivity < 2)
        {
            throw new ArgumentException($"HNSW connectivity must be at least 2; got {options.Connectivity}.", nameof(options));
        }
        if (options.ExpansionAdd < 1 || options.ExpansionSearch < 1)
        {
            throw new ArgumentException($"HNSW expansions must be at least 1; got add {options.ExpansionAdd}, search {options.ExpansionSearch}.", nameof(options));
        }
        if (options.ExactBelow < 0 || options.BuildThreads < 0)
        {
            throw new ArgumentException($"exact-below ({options.ExactBelow}) and build threads ({options.BuildThreads}) must not be negative.", nameof(options));
        }
    }
}
