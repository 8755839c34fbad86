using System.Diagnostics;
using System.Globalization;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>
/// The whole exact k-NN pipeline the kernels are built for, timed on one shape (default the m = 10k queries,
/// n = 100k references, d = 512, k = 20): distance tiles of <c>--qtile</c> × <c>--rtile</c>, error-bounded candidates,
/// exact double re-rank; against the time of the bare products on the same tiles. A benchmark only: the neighbour
/// search API itself lives elsewhere.
/// </summary>
internal static class QuickPipeline
{
    public static int Run(string[] args)
    {
        int m = 10000, n = 100000, d = 512, k = 20, queryTile = 2048, referenceTile = 8192;
        string backend = "managed";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = args[i] == "--backend" ? 0 : int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--m": m = value; break;
                case "--n": n = value; break;
                case "--d": d = value; break;
                case "--k": k = value; break;
                case "--qtile": queryTile = value; break;
                case "--rtile": referenceTile = value; break;
                case "--backend": backend = args[i + 1]; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        IInnerProductKernel kernel = InnerProductKernels.Get(backend == "openblas" ? KernelPreference.OpenBlas : KernelPreference.Managed);
        var rng = new Random(5);
        float[] q = QuickGflops.RandomMatrix(rng, m, d);
        float[] r = QuickGflops.RandomMatrix(rng, n, d);
        float[] qn = RowNorms.Compute(q, m, d);
        float[] rn = RowNorms.Compute(r, n, d);
        var tile = new float[queryTile * referenceTile];

        long start = Stopwatch.GetTimestamp();
        for (int i0 = 0; i0 < m; i0 += queryTile)
        {
            int rows = Math.Min(queryTile, m - i0);
            for (int j0 = 0; j0 < n; j0 += referenceTile)
            {
                int columns = Math.Min(referenceTile, n - j0);
                kernel.Products(q.AsSpan(i0 * d), d, r.AsSpan(j0 * d), d, tile, referenceTile, rows, columns, d);
            }
        }
        double products = Stopwatch.GetElapsedTime(start).TotalSeconds;

        start = Stopwatch.GetTimestamp();
        var accumulator = new CandidateAccumulator(m, k, d, qn, rn);
        double gemm = 0;
        for (int i0 = 0; i0 < m; i0 += queryTile)
        {
            int rows = Math.Min(queryTile, m - i0);
            for (int j0 = 0; j0 < n; j0 += referenceTile)
            {
                int columns = Math.Min(referenceTile, n - j0);
                long g = Stopwatch.GetTimestamp();
                kernel.SquaredDistances(q.AsSpan(i0 * d), d, qn.AsSpan(i0), r.AsSpan(j0 * d), d, rn.AsSpan(j0), tile, referenceTile, rows, columns, d);
                gemm += Stopwatch.GetElapsedTime(g).TotalSeconds;
                accumulator.AddTile(tile, referenceTile, i0, rows, j0, columns);
            }
        }
        long c = Stopwatch.GetTimestamp();
        CandidateLists candidates = accumulator.Complete();
        double complete = Stopwatch.GetElapsedTime(c).TotalSeconds;
        long rr = Stopwatch.GetTimestamp();
        ExactReranker.Rerank(q, d, r, d, n, d, candidates, k);
        double rerank = Stopwatch.GetElapsedTime(rr).TotalSeconds;
        double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double flops = 2.0 * m * n * d;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pipeline m={m} n={n} d={d} k={k} tiles {queryTile}x{referenceTile} backend={kernel.Backend}: bare products {products:F2} s ({flops / products / 1e9:F1} GFLOP/s); " +
            $"exact k-NN {total:F2} s = distances {gemm:F2} s + candidates {total - gemm - complete - rerank:F2} s + complete {complete:F2} s + re-rank {rerank:F2} s " +
            $"({(double)candidates.Offsets[^1] / m:F2} candidates per row); exact k-NN / bare products = {total / products:F2}"));
        return 0;
    }
}
