using Luna.Core.Data;
using Luna.Core.Neighbors;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Scoring;

/// <summary>
/// An index factory that forces the GEMM engine (float32 tiles, candidates, exact re-rank) with small tiles, so that the
/// scores' fixtures, which are small enough to run the direct engine by default, also run the fast path.
/// </summary>
internal sealed class GemmIndexFactory : INeighborIndexFactory
{
    public static GemmIndexFactory Instance { get; } = new();

    public string Name => "exact-gemm";

    public bool IsExact => true;

    public INeighborIndex Create(FeatureMatrix references, CancellationToken cancellationToken = default)
        => new ExactNeighborIndex(references, ExactEngine.Gemm, KernelPreference.Managed, 7, 13);
}
