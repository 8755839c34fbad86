using System.Diagnostics;
using System.Globalization;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>
/// Stopwatch measurement of the GEMM kernels on one shape, best of several repetitions, printed as GFLOP/s
/// (2·m·n·d floating-point operations per product block). Faster to run than BenchmarkDotNet on the big shapes.
/// </summary>
internal static class QuickGflops
{
    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        var rng = new Random(12345);
        float[] a = RandomMatrix(rng, options.M, options.D);
        float[] b = RandomMatrix(rng, options.N, options.D);
        int chunk = Math.Min(options.Chunk, options.N);
        var c = new float[(long)options.M * chunk];
        float[] aNorms = RowNorms.Compute(a, options.M, options.D);
        float[] bNorms = RowNorms.Compute(b, options.N, options.D);
        foreach (IInnerProductKernel kernel in Kernels(options))
        {
            double best = double.MaxValue;
            double bestCpu = double.MaxValue;
            using Process process = Process.GetCurrentProcess();
            for (int rep = 0; rep < options.Reps; rep++)
            {
                process.Refresh();
                TimeSpan cpuStart = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                for (int j0 = 0; j0 < options.N; j0 += chunk)
                {
                    int n = Math.Min(chunk, options.N - j0);
                    ReadOnlySpan<float> block = b.AsSpan(j0 * options.D, n * options.D);
                    if (options.Distances)
                    {
                        kernel.SquaredDistances(a, options.D, aNorms, block, options.D, bNorms.AsSpan(j0, n), c, chunk, options.M, n, options.D);
                    }
                    else if (options.Symmetric)
                    {
                        kernel.SymmetricProducts(a, options.D, c, chunk, options.M, options.D, mirror: false);
                    }
                    else
                    {
                        kernel.Products(a, options.D, block, options.D, c, chunk, options.M, n, options.D);
                    }
                }
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                process.Refresh();
                bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuStart).TotalSeconds);
            }
            double flops = 2.0 * options.M * options.N * options.D * (options.Symmetric ? 0.5 : 1.0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(options.Distances ? "distances" : options.Symmetric ? "symmetric" : "products")} m={options.M} n={options.N} d={options.D} chunk={chunk} backend={kernel.Backend} [{kernel.Description}]: best {best:F4} s of {options.Reps}, {flops / best / 1e9:F1} GFLOP/s (wall), {flops / bestCpu / 1e9:F1} GFLOP per CPU-second"));
        }
        return 0;
    }

    private static IEnumerable<IInnerProductKernel> Kernels(Options options)
    {
        if (options.Backend is "managed" or "all")
        {
            var blocking = new GemmBlocking(options.Kc, options.Mc, options.Nc);
            yield return new ManagedSgemm(options.Simd ?? ManagedSgemm.BestSimd, options.Threads, blocking);
        }
        if (options.Backend is "openblas" or "all")
        {
            if (OpenBlasSgemm.TryLoad(out OpenBlasSgemm? native))
            {
                yield return native;
            }
            else
            {
                Console.WriteLine("openblas: libopenblas.so.0 not found, skipped");
            }
        }
    }

    internal static float[] RandomMatrix(Random rng, int rows, int d)
    {
        var x = new float[(long)rows * d];
        for (long i = 0; i < x.LongLength; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return x;
    }

    private sealed class Options
    {
        public int M { get; set; } = 2000;
        public int N { get; set; } = 20000;
        public int D { get; set; } = 512;
        public int Chunk { get; set; } = int.MaxValue;
        public int Reps { get; set; } = 3;
        public int Threads { get; set; }
        public int Kc { get; set; } = GemmBlocking.Default.Kc;
        public int Mc { get; set; } = GemmBlocking.Default.Mc;
        public int Nc { get; set; } = GemmBlocking.Default.Nc;
        public string Backend { get; set; } = "all";
        public ManagedSimd? Simd { get; set; }
        public bool Distances { get; set; }
        public bool Symmetric { get; set; }

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string value = i + 1 < args.Length ? args[i + 1] : "";
                switch (args[i])
                {
                    case "--m": o.M = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--n": o.N = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--d": o.D = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--chunk": o.Chunk = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--reps": o.Reps = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--threads": o.Threads = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--kc": o.Kc = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--mc": o.Mc = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--nc": o.Nc = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
                    case "--backend": o.Backend = value; i++; break;
                    case "--simd": o.Simd = Enum.Parse<ManagedSimd>(value, ignoreCase: true); i++; break;
                    case "--distances": o.Distances = true; break;
                    case "--symmetric": o.Symmetric = true; break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
            return o;
        }
    }
}
