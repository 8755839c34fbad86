using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>
/// The inner-product kernels on a subset of the shape (queries 10k × 512 against references 100k × 512):
/// a 2000 × 20000 × 512 block (41 GFLOP) per operation, products, squared distances, and the 4096 × 4096 self-join.
/// The <see cref="Backend"/> column names the kernel that ran; the GFLOP/s column counts 2·M·N·D per product block
/// (half of that for the self-join, which computes only the upper triangle).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
[Config(typeof(KernelBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _aNorms = [];
    private float[] _bNorms = [];
    private float[] _c = [];
    private IInnerProductKernel _kernel = null!;

    /// <summary>Rows of A (queries).</summary>
    [Params(2000)]
    public int M { get; set; }

    /// <summary>Rows of B (references).</summary>
    [Params(20000)]
    public int N { get; set; }

    /// <summary>Dimension.</summary>
    [Params(512)]
    public int D { get; set; }

    /// <summary>The kernel that runs: every one available on this machine.</summary>
    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    /// <summary>The managed kernel's widest SIMD, plus OpenBLAS when it loads.</summary>
    public static IEnumerable<string> Backends()
    {
        yield return new ManagedSgemm().Backend.ToString();
        if (OpenBlasSgemm.IsAvailable)
        {
            yield return nameof(KernelBackend.OpenBlas);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = QuickGflops.RandomMatrix(rng, M, D);
        _b = QuickGflops.RandomMatrix(rng, N, D);
        _aNorms = RowNorms.Compute(_a, M, D);
        _bNorms = RowNorms.Compute(_b, N, D);
        _c = new float[(long)M * N];
        _kernel = Backend == nameof(KernelBackend.OpenBlas) ? InnerProductKernels.Get(KernelPreference.OpenBlas) : InnerProductKernels.Managed;
        if (_kernel.Backend.ToString() != Backend)
        {
            throw new InvalidOperationException($"asked for {Backend}, got {_kernel.Backend}");
        }
        Console.WriteLine($"// kernel: {_kernel.Description}");
    }

    /// <summary>C = A·Bᵀ, M × N.</summary>
    [Benchmark]
    public void Products() => _kernel.Products(_a, D, _b, D, _c, N, M, N, D);

    /// <summary>C = max(0, ‖a‖² + ‖b‖² − 2 A·Bᵀ), M × N.</summary>
    [Benchmark]
    public void SquaredDistances() => _kernel.SquaredDistances(_a, D, _aNorms, _b, D, _bNorms, _c, N, M, N, D);

    /// <summary>Self-join of the first 4096 rows of B, upper triangle only (≈ half of 2·4096²·D flops).</summary>
    [Benchmark]
    public void SymmetricSelfJoin4096() => _kernel.SymmetricSquaredDistances(_b, D, _bNorms, _c, 4096, 4096, D, mirror: false);
}
