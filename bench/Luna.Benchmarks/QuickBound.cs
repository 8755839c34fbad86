using System.Globalization;
using Luna.Core.Neighbors.Kernels;

namespace Luna.Benchmarks;

/// <summary>
/// How tight <see cref="Float32DistanceBound"/> is in practice: the largest observed |D̂ − D̃| / bound over all pairs of
/// two random blocks, for each available kernel, on centred data and on data offset far from the origin.
/// </summary>
internal static class QuickBound
{
    public static int Run(string[] args)
    {
        int d = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 512;
        const int m = 200, n = 2000;
        foreach ((float offset, float spread) in new[] { (0f, 1f), (10f, 1f), (1000f, 1f) })
        {
            var rng = new Random(3);
            float[] a = QuickGflops.RandomMatrix(rng, m, d);
            float[] b = QuickGflops.RandomMatrix(rng, n, d);
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = offset + (spread * a[i]);
            }
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = offset + (spread * b[i]);
            }
            float[] na = RowNorms.Compute(a, m, d);
            float[] nb = RowNorms.Compute(b, n, d);
            var c = new float[m * n];
            var kernels = new List<IInnerProductKernel> { InnerProductKernels.Managed };
            if (OpenBlasSgemm.TryLoad(out OpenBlasSgemm? native))
            {
                kernels.Add(native);
            }
            foreach (IInnerProductKernel kernel in kernels)
            {
                kernel.SquaredDistances(a, d, na, b, d, nb, c, n, m, n, d);
                double worst = 0;
                double meanRelativeMargin = 0;
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double exact = ExactDistance.Squared(a.AsSpan(i * d, d), b.AsSpan(j * d, d));
                        double bound = Float32DistanceBound.Bound(d, na[i], nb[j]);
                        worst = Math.Max(worst, Math.Abs(c[(i * n) + j] - exact) / bound);
                        meanRelativeMargin += bound / exact;
                    }
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"d={d} offset={offset} spread={spread} backend={kernel.Backend}: max |error| / bound = {worst:F4}; mean bound / distance = {meanRelativeMargin / (m * n):E2}"));
            }
        }
        return 0;
    }
}
