using System.Diagnostics;
using System.Globalization;
using Luna.Core.Data;
using Luna.Core.Neighbors;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>
/// The crossover between the exact index's two engines (direct double distances, GEMM + candidates + re-rank) on small
/// searches, the size of LUNA's per-class searches: time per search for m queries × n references, d, k = 10.
/// </summary>
internal static class QuickEngines
{
    public static int Run(string[] args)
    {
        int d = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 512;
        var rng = new Random(3);
        (int M, int N)[] shapes = [(4, 20), (10, 50), (20, 100), (30, 200), (50, 300), (100, 500), (200, 1000), (500, 1280)];
        foreach ((int m, int n) in shapes)
        {
            var r = new FeatureMatrix(QuickGflops.RandomMatrix(rng, n, d), n, d).L2Normalized();
            var q = new FeatureMatrix(QuickGflops.RandomMatrix(rng, m, d), m, d).L2Normalized();
            double Time(ExactEngine engine)
            {
                double best = double.MaxValue;
                for (int rep = 0; rep < 7; rep++)
                {
                    long start = Stopwatch.GetTimestamp();
                    new ExactNeighborIndex(r, engine, KernelPreference.Auto).Search(q, 10);
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                return best;
            }
            double direct = Time(ExactEngine.Direct);
            double gemm = Time(ExactEngine.Gemm);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"m={m} n={n} d={d} (m·n·d = {(long)m * n * d}): direct {direct:F3} ms, gemm {gemm:F3} ms"));
        }
        return 0;
    }
}
