using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Benchmarks;

/// <summary>
/// The whole exact k-NN as the scores call it (<see cref="ExactNeighborIndex"/>: GEMM tiles, error-bounded candidates,
/// exact re-rank), on L2-normalised random rows, d = 512, k = 20: a search of 2048 queries over 20,000 references and a
/// self-join of 8192 rows (half the products, by symmetry).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class NeighborIndexBenchmarks
{
    private const int D = 512;
    private const int K = 20;
    private FeatureMatrix _queries = null!;
    private FeatureMatrix _references = null!;
    private FeatureMatrix _self = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(11);
        _queries = new FeatureMatrix(QuickGflops.RandomMatrix(rng, 2048, D), 2048, D).L2Normalized();
        _references = new FeatureMatrix(QuickGflops.RandomMatrix(rng, 20000, D), 20000, D).L2Normalized();
        _self = new FeatureMatrix(QuickGflops.RandomMatrix(rng, 8192, D), 8192, D).L2Normalized();
        Console.WriteLine($"// kernel: {ExactNeighborIndex.KernelDescription}");
    }

    /// <summary>2048 × 20000 queries × references (42 GFLOP of products).</summary>
    [Benchmark]
    public NeighborResult Search() => new ExactNeighborIndex(_references).Search(_queries, K);

    /// <summary>8192 rows against each other (34 GFLOP of products, 17 computed).</summary>
    [Benchmark]
    public NeighborResult SelfJoin() => new ExactNeighborIndex(_self).SearchSelf(K);
}
