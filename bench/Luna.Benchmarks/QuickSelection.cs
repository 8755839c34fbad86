using System.Diagnostics;
using System.Globalization;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>Stopwatch timings (best of several) of the selection steps on one M × N distance tile.</summary>
internal static class QuickSelection
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        int references = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20000;
        int d = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 512;
        int k = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        var rng = new Random(7);
        float[] q = QuickGflops.RandomMatrix(rng, rows, d);
        float[] r = QuickGflops.RandomMatrix(rng, references, d);
        float[] qn = RowNorms.Compute(q, rows, d);
        float[] rn = RowNorms.Compute(r, references, d);
        var distances = new float[(long)rows * references];
        CandidateLists? candidates = null;
        Report("distances", 5, () => InnerProductKernels.Managed.SquaredDistances(q, d, qn, r, d, rn, distances, references, rows, references, d));
        Report("sum (memory bandwidth baseline)", 5, () => System.Numerics.Tensors.TensorPrimitives.Sum(distances.AsSpan()));
        Report("top-k", 5, () =>
        {
            var accumulator = new TopKAccumulator(rows, k);
            accumulator.AddTile(distances, references, 0, rows, 0, references);
            accumulator.Complete();
        });
        Report("top-k, one row per call (1 thread)", 5, () =>
        {
            var accumulator = new TopKAccumulator(rows, k);
            for (int i = 0; i < rows; i++)
            {
                accumulator.AddTile(distances.AsSpan(i * references, references), references, i, 1, 0, references);
            }
        });
        Report("candidates", 5, () =>
        {
            var accumulator = new CandidateAccumulator(rows, k, d, qn, rn);
            accumulator.AddTile(distances, references, 0, rows, 0, references);
            candidates = accumulator.Complete();
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"candidates per row: {(double)candidates!.Offsets[^1] / rows:F2} for k = {k}"));
        Report("exact re-rank", 5, () => ExactReranker.Rerank(q, d, r, d, references, d, candidates, k));
        return 0;
    }

    private static void Report(string name, int reps, Action action)
    {
        double best = double.MaxValue;
        for (int i = 0; i < reps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: best {best:F1} ms of {reps}"));
    }
}
