using Luna.Core.Data;

namespace Luna.Core.Neighbors;

/// <summary>
/// A k-nearest-neighbour index over a fixed set of n reference points in R^d, Euclidean distance.
/// </summary>
/// <remarks>
/// The exact index is <see cref="ExactNeighborIndex"/>; an approximate index (HNSW) or a faster kernel can
/// implement the same contract. Results list, for every query, its neighbours by increasing distance;
/// equal distances are ordered by the lower reference index, so an exact index is deterministic.
/// </remarks>
public interface INeighborIndex
{
    /// <summary>Number of reference points, n.</summary>
    int Count { get; }

    /// <summary>Dimension of the points, d.</summary>
    int Dimension { get; }

    /// <summary>
    /// The k nearest references of each query row. A reference equal to the query (distance 0) is a neighbour.
    /// </summary>
    /// <param name="queries">Queries, m × d.</param>
    /// <param name="k">Neighbours per query, ≥ 1. When k &gt; n the result has n columns (<see cref="NeighborResult.K"/>).</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>m × min(k, n) indices and distances.</returns>
    NeighborResult Search(FeatureMatrix queries, int k, CancellationToken cancellationToken = default);

    /// <summary>
    /// The k nearest references of each reference, excluding the point itself by index (the self-join).
    /// A different reference at distance 0 (a duplicate) is a neighbour, as in scikit-learn.
    /// </summary>
    /// <param name="k">Neighbours per point, ≥ 1. When k &gt; n - 1 the result has n - 1 columns.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>n × min(k, n - 1) indices and distances.</returns>
    NeighborResult SearchSelf(int k, CancellationToken cancellationToken = default);
}
