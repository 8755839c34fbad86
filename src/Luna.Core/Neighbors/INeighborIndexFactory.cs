using Luna.Core.Data;

namespace Luna.Core.Neighbors;

/// <summary>
/// Builds the neighbour index a score searches with (<see cref="Scoring.NoveltyScorerOptions.NeighborIndex"/>): exact by
/// default (<see cref="ExactNeighborIndexFactory"/>), or an approximate index such as HNSW from a separate package.
/// </summary>
public interface INeighborIndexFactory
{
    /// <summary>A short name for logs and benchmark tables, as given to <c>--index</c> (<c>exact</c>, <c>hnsw</c>).</summary>
    string Name { get; }

    /// <summary>Whether every index it builds is exact (results identical to <see cref="ExactNeighborIndex"/>).</summary>
    bool IsExact { get; }

    /// <summary>Builds an index over <paramref name="references"/> (n × d); the index may keep the matrix by reference.</summary>
    /// <param name="references">The reference points; must not change while the index is in use.</param>
    /// <param name="cancellationToken">Cancels a long build.</param>
    INeighborIndex Create(FeatureMatrix references, CancellationToken cancellationToken = default);
}

/// <summary>The default factory: every index is an <see cref="ExactNeighborIndex"/> (cheap to build: it keeps the matrix).</summary>
public sealed class ExactNeighborIndexFactory : INeighborIndexFactory
{
    private ExactNeighborIndexFactory()
    {
    }

    /// <summary>The shared instance.</summary>
    public static ExactNeighborIndexFactory Instance { get; } = new();

    /// <summary>"exact".</summary>
    public string Name => "exact";

    /// <summary>True.</summary>
    public bool IsExact => true;

    /// <inheritdoc />
    public INeighborIndex Create(FeatureMatrix references, CancellationToken cancellationToken = default) => new ExactNeighborIndex(references);
}
