using System.Numerics.Tensors;
using Luna.Core.Data;

namespace Luna.Core.Neighbors;

/// <summary>
/// The one place where <see cref="ExactNeighborIndex"/> turns coordinates into distances, so that a faster kernel
/// (a float32 GEMM with an exact double re-rank) can replace it without touching the tiling or the top-k logic.
/// </summary>
/// <remarks>
/// Exact in double precision: the float32 coordinates are widened to double (exactly), and the distance is
/// sqrt(sum_j (q_j - r_j)^2) summed in double, never the cancellation-prone ||q||^2 + ||r||^2 - 2 q·r.
/// </remarks>
internal static class ExactDistanceKernel
{
    /// <summary>Copies rows [start, start + count) of <paramref name="matrix"/> into <paramref name="tile"/> as doubles (row-major).</summary>
    public static void LoadTile(FeatureMatrix matrix, int start, int count, Span<double> tile)
    {
        int d = matrix.Columns;
        ReadOnlySpan<float> source = matrix.Data.Slice(start * d, count * d);
        Span<double> target = tile[..(count * d)];
        for (int i = 0; i < source.Length; i++)
        {
            target[i] = source[i];
        }
    }

    /// <summary>
    /// Euclidean distances from one query (length d) to each of the <paramref name="count"/> rows of
    /// <paramref name="referenceTile"/> (count × d, row-major), written to <paramref name="distances"/>[0..count).
    /// </summary>
    public static void Distances(ReadOnlySpan<double> query, ReadOnlySpan<double> referenceTile, int count, int d, Span<double> distances)
    {
        if (d == 0)
        {
            distances[..count].Clear();
            return;
        }
        for (int r = 0; r < count; r++)
        {
            distances[r] = TensorPrimitives.Distance(query, referenceTile.Slice(r * d, d));
        }
    }
}
