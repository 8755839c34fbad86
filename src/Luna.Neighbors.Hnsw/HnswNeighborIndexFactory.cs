using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Neighbors.Hnsw;

/// <summary>
/// The factory behind <c>--index hnsw</c>: an <see cref="HnswNeighborIndex"/> for reference sets of at least
/// <see cref="HnswOptions.ExactBelow"/> rows, an exact index below (where exact search is as fast and exact). For LUNA
/// this means the search over all training features goes through the graph while most per-class searches stay exact.
/// </summary>
public sealed class HnswNeighborIndexFactory : INeighborIndexFactory
{
    /// <summary>Creates the factory.</summary>
    /// <param name="options">Graph settings; <see cref="HnswOptions.Default"/> when null.</param>
    public HnswNeighborIndexFactory(HnswOptions? options = null)
    {
        Options = options ?? HnswOptions.Default;
    }

    /// <summary>The graph settings.</summary>
    public HnswOptions Options { get; }

    /// <summary>"hnsw".</summary>
    public string Name => "hnsw";

    /// <summary>False: searches over large reference sets are approximate.</summary>
    public bool IsExact => false;

    /// <inheritdoc />
    public INeighborIndex Create(FeatureMatrix references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        return references.Rows < Math.Max(2, Options.ExactBelow)
            ? new ExactNeighborIndex(references)
            : new HnswNeighborIndex(references, Options, cancellationToken);
    }
}
