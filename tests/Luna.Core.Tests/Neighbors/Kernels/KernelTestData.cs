using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Tests.Neighbors.Kernels;

/// <summary>Seeded test matrices and independent brute-force references for the kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>rows × cols uniform in [-1, 1), row stride ld (padding filled with NaN so a read past d shows).</summary>
    public static float[] Uniform(int seed, int rows, int cols, int ld = -1)
    {
        ld = ld < 0 ? cols : ld;
        var rng = new Random(seed);
        var x = new float[Math.Max(0, ((rows - 1) * ld) + cols)];
        Array.Fill(x, float.NaN);
        for (int i = 0; i < rows; i++)
        {
            for (int p = 0; p < cols; p++)
            {
                x[(i * ld) + p] = (float)((rng.NextDouble() * 2) - 1);
            }
        }
        return x;
    }

    /// <summary>Σ_p a[i, p]·b[j, p] in double (exact products, double sum).</summary>
    public static double Dot(float[] a, int lda, int i, float[] b, int ldb, int j, int d)
    {
        double s = 0;
        for (int p = 0; p < d; p++)
        {
            s += (double)a[(i * lda) + p] * b[(j * ldb) + p];
        }
        return s;
    }

    /// <summary>Σ_p |a[i, p]·b[j, p]|, the scale of the dot product's rounding error.</summary>
    public static double AbsDot(float[] a, int lda, int i, float[] b, int ldb, int j, int d)
    {
        double s = 0;
        for (int p = 0; p < d; p++)
        {
            s += Math.Abs((double)a[(i * lda) + p] * b[(j * ldb) + p]);
        }
        return s;
    }

    /// <summary>The float32 FMA chain s = fma(a_p, b_p, s) for p = 0..d−1, the managed kernel's exact recipe.</summary>
    public static float FmaChain(float[] a, int lda, int i, float[] b, int ldb, int j, int d)
    {
        float s = 0f;
        for (int p = 0; p < d; p++)
        {
            s = MathF.FusedMultiplyAdd(a[(i * lda) + p], b[(j * ldb) + p], s);
        }
        return s;
    }

    /// <summary>Σ_p (a_p − b_p)² in double, sequentially: the independent brute-force distance.</summary>
    public static double SquaredDistance(float[] a, int i, float[] b, int j, int d)
    {
        double s = 0;
        for (int p = 0; p < d; p++)
        {
            double diff = (double)a[(i * d) + p] - b[(j * d) + p];
            s += diff * diff;
        }
        return s;
    }

    /// <summary>
    /// Brute-force k nearest references of every query by sorting all n double distances (ties to the lower index),
    /// skipping j = i when <paramref name="excludeSelf"/>.
    /// </summary>
    public static (int[] Indices, double[] Distances)[] BruteForce(float[] queries, int m, float[] references, int n, int d, int k, bool excludeSelf = false)
    {
        var result = new (int[], double[])[m];
        for (int i = 0; i < m; i++)
        {
            var all = new List<(double Distance, int Index)>(n);
            for (int j = 0; j < n; j++)
            {
                if (!(excludeSelf && i == j))
                {
                    all.Add((SquaredDistance(queries, i, references, j, d), j));
                }
            }
            all.Sort();
            int kept = Math.Min(k, all.Count);
            result[i] = (all.Take(kept).Select(x => x.Index).ToArray(), all.Take(kept).Select(x => x.Distance).ToArray());
        }
        return result;
    }

    /// <summary>Every kernel that can run here: each supported managed SIMD width, and OpenBLAS when installed.</summary>
    public static IEnumerable<IInnerProductKernel> AllKernels(GemmBlocking? blocking = null)
    {
        foreach (ManagedSimd simd in Enum.GetValues<ManagedSimd>())
        {
            if (ManagedSgemm.IsSupported(simd))
            {
                yield return new ManagedSgemm(simd, 0, blocking);
            }
        }
        if (OpenBlasSgemm.TryLoad(out OpenBlasSgemm? native))
        {
            yield return native;
        }
    }
}

/// <summary>A fact that is skipped (with the reason shown) when OpenBLAS is not installed on this machine.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when <c>libopenblas.so.0</c> cannot be loaded.</summary>
    public OpenBlasFactAttribute()
    {
        if (!OpenBlasSgemm.IsAvailable)
        {
            Skip = "libopenblas.so.0 is not installed (Debian: apt-get install libopenblas0-pthread)";
        }
    }
}
