using System.Runtime.CompilerServices;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>Squared Euclidean row norms for the distance expansion ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b.</summary>
internal static class RowNorms
{
    /// <summary>
    /// norms[i] = float32(Σ_{p&lt;d} x[i·ld + p]²), accumulated in double and rounded once to float32, so
    /// |norms[i] − ‖x_i‖²| ≤ u·‖x_i‖²·(1 + d·2⁻⁵²) with u = 2⁻²⁴ (the term <see cref="Float32DistanceBound"/> assumes).
    /// </summary>
    /// <param name="x">Row-major rows × d matrix with row stride <paramref name="ld"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="d">Number of columns summed.</param>
    /// <param name="ld">Row stride, ≥ d.</param>
    /// <param name="norms">Output, length ≥ rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(ReadOnlySpan<float> x, int rows, int d, int ld, Span<float> norms)
    {
        GemmArguments.CheckMatrix(x.Length, rows, d, ld, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(norms.Length, rows, nameof(norms));
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * ld, d);
            double s0 = 0;
            double s1 = 0;
            int p = 0;
            for (; p + 1 < d; p += 2)
            {
                double v0 = row[p];
                double v1 = row[p + 1];
                s0 += v0 * v0;
                s1 += v1 * v1;
            }
            if (p < d)
            {
                double v = row[p];
                s0 += v * v;
            }
            norms[i] = (float)(s0 + s1);
        }
    }

    /// <summary>Allocates and returns the squared norms of the rows of a row-major rows × d matrix (stride d).</summary>
    public static float[] Compute(ReadOnlySpan<float> x, int rows, int d)
    {
        var norms = new float[rows];
        Compute(x, rows, d, d, norms);
        return norms;
    }
}
