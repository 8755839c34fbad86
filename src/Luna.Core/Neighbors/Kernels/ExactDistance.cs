using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// The canonical double-precision squared Euclidean distance between two float32 rows, the value the exact re-rank
/// ranks by. It never uses the cancellation-prone expansion: each coordinate is widened to double (exactly), the
/// differences are squared and summed in double, in a fixed order, so the value is deterministic (independent of
/// memory alignment, thread count and SIMD support) and within 1.01·(d + 2)·2⁻⁵³ relative of the exact ‖a − b‖².
/// </summary>
internal static class ExactDistance
{
    /// <summary>
    /// Σ_p (a_p − b_p)² in double. Order: for the first ⌊d/8⌋·8 coordinates, eight lane sums s_l accumulate
    /// (a_p − b_p)² for p ≡ l (mod 8) in increasing p (multiply, then add: no fused multiply-add); they are combined as
    /// ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇)); the remaining d mod 8 terms are then added one by one.
    /// </summary>
    /// <exception cref="ArgumentException">The rows have different lengths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"rows of length {a.Length} and {b.Length} differ.", nameof(b));
        }
        int d = a.Length;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        Vector256<double> s0 = Vector256<double>.Zero;
        Vector256<double> s1 = Vector256<double>.Zero;
        int p = 0;
        for (; p + 8 <= d; p += 8)
        {
            (Vector256<double> aLow, Vector256<double> aHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref ra, (nuint)p));
            (Vector256<double> bLow, Vector256<double> bHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref rb, (nuint)p));
            Vector256<double> low = aLow - bLow;
            Vector256<double> high = aHigh - bHigh;
            s0 += low * low;
            s1 += high * high;
        }
        double sum = ((s0[0] + s0[1]) + (s0[2] + s0[3])) + ((s1[0] + s1[1]) + (s1[2] + s1[3]));
        for (; p < d; p++)
        {
            double diff = (double)a[p] - b[p];
            sum += diff * diff;
        }
        return sum;
    }
}
