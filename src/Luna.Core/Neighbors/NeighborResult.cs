namespace Luna.Core.Neighbors;

/// <summary>
/// The k nearest neighbours of m queries: reference indices and Euclidean distances, both m × k row-major
/// (row i, rank j at <c>i * K + j</c>), each row sorted by increasing distance, equal distances by lower index.
/// </summary>
public sealed class NeighborResult
{
    /// <summary>Wraps the arrays without copying.</summary>
    /// <param name="indices">Reference indices, rows × k row-major.</param>
    /// <param name="distances">Euclidean distances, rows × k row-major.</param>
    /// <param name="rows">Number of queries, m.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <exception cref="ArgumentException">An array length is not rows × k.</exception>
    public NeighborResult(int[] indices, double[] distances, int rows, int k)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if ((long)rows * k != indices.LongLength || indices.LongLength != distances.LongLength)
        {
            throw new ArgumentException($"indices ({indices.LongLength}) and distances ({distances.LongLength}) must both hold rows × k = {rows} × {k} values.", nameof(indices));
        }
        Indices = indices;
        Distances = distances;
        Rows = rows;
        K = k;
    }

    /// <summary>Number of queries, m.</summary>
    public int Rows { get; }

    /// <summary>Neighbours per query (the requested k, clamped to what the reference set holds).</summary>
    public int K { get; }

    /// <summary>Reference indices, m × K row-major.</summary>
    public int[] Indices { get; }

    /// <summary>Euclidean distances, m × K row-major, ascending within each row.</summary>
    public double[] Distances { get; }

    /// <summary>The neighbour indices of query <paramref name="row"/>, nearest first.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => Indices.AsSpan(row * K, K);

    /// <summary>The neighbour distances of query <paramref name="row"/>, ascending.</summary>
    public ReadOnlySpan<double> DistancesOf(int row) => Distances.AsSpan(row * K, K);
}
