using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>
/// Top-k selection on a 2000 × 20000 tile of float32 squared distances (the tile the GEMM benchmark produces), k = 20,
/// and the exact re-rank of its candidates at d = 512: the work that follows each distance tile in an exact k-NN search.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class SelectionBenchmarks
{
    private const int Rows = 2000;
    private const int References = 20000;
    private const int D = 512;
    private const int K = 20;
    private float[] _queries = [];
    private float[] _references = [];
    private float[] _queryNorms = [];
    private float[] _referenceNorms = [];
    private float[] _distances = [];
    private CandidateLists _candidates = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        _queries = QuickGflops.RandomMatrix(rng, Rows, D);
        _references = QuickGflops.RandomMatrix(rng, References, D);
        _queryNorms = RowNorms.Compute(_queries, Rows, D);
        _referenceNorms = RowNorms.Compute(_references, References, D);
        _distances = new float[Rows * References];
        InnerProductKernels.Managed.SquaredDistances(_queries, D, _queryNorms, _references, D, _referenceNorms, _distances, References, Rows, References, D);
        _candidates = (CandidateLists)Candidates();
        Console.WriteLine($"// candidates per row: {(double)_candidates.Offsets[^1] / Rows:F2} for k = {K}");
    }

    /// <summary>Bounded max-heaps with a SIMD threshold filter, 40 M keys.</summary>
    [Benchmark]
    public object TopK()
    {
        var accumulator = new TopKAccumulator(Rows, K);
        accumulator.AddTile(_distances, References, 0, Rows, 0, References);
        return accumulator.Complete();
    }

    /// <summary>The error-bounded candidate selection for the exact re-rank, 40 M keys.</summary>
    [Benchmark]
    public object Candidates()
    {
        var accumulator = new CandidateAccumulator(Rows, K, D, _queryNorms, _referenceNorms);
        accumulator.AddTile(_distances, References, 0, Rows, 0, References);
        return accumulator.Complete();
    }

    /// <summary>Double-precision distances of every candidate and the exact top k.</summary>
    [Benchmark]
    public object ExactRerank() => ExactReranker.Rerank(_queries, D, _references, D, References, D, _candidates, K);
}
