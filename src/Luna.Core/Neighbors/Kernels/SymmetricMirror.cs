using System.Runtime.CompilerServices;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>Completes a symmetric m × m matrix from its upper triangle.</summary>
internal static class SymmetricMirror
{
    private const int Block = 64;

    /// <summary>C[i, j] = C[j, i] for all j &lt; i (row-major, row stride <paramref name="ldc"/>), in cache-sized blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpperToLower(Span<float> c, int ldc, int m)
    {
        for (int i0 = 0; i0 < m; i0 += Block)
        {
            int i1 = Math.Min(m, i0 + Block);
            for (int j0 = 0; j0 <= i0; j0 += Block)
            {
                int j1 = Math.Min(m, j0 + Block);
                for (int i = i0; i < i1; i++)
                {
                    Span<float> row = c.Slice(i * ldc, m);
                    int jEnd = Math.Min(j1, i);
                    for (int j = j0; j < jEnd; j++)
                    {
                        row[j] = c[(j * ldc) + i];
                    }
                }
            }
        }
    }
}
