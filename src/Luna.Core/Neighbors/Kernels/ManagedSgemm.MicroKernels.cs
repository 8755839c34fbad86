using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>The register-tiled SIMD micro-kernels (unrolled by hand so that every accumulator stays in a register).</summary>
internal sealed unsafe partial class ManagedSgemm
{
    /// <summary>
    /// The 12 × 32 micro-kernel on <c>Vector512&lt;float&gt;</c>: C[0..12, 0..32) (row stride ldc) += or = Σ_p ap[p·12 + i]·bp[p·32 + j],
    /// 24 accumulators in registers, one broadcast of A and 2 loads of B per step p; optional distance epilogue.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(int kc, float* ap, float* bp, float* c, nint ldc, int flags, float* na, float* nb)
    {
        Vector512<float> acc0L, acc0H, acc1L, acc1H, acc2L, acc2H, acc3L, acc3H, acc4L, acc4H, acc5L, acc5H, acc6L, acc6H, acc7L, acc7H, acc8L, acc8H, acc9L, acc9H, acc10L, acc10H, acc11L, acc11H;
        if ((flags & FlagAccumulate) != 0)
        {
            acc0L = Vector512.Load(c);
            acc0H = Vector512.Load(c + 16);
            acc1L = Vector512.Load(c + (1 * ldc));
            acc1H = Vector512.Load(c + (1 * ldc) + 16);
            acc2L = Vector512.Load(c + (2 * ldc));
            acc2H = Vector512.Load(c + (2 * ldc) + 16);
            acc3L = Vector512.Load(c + (3 * ldc));
            acc3H = Vector512.Load(c + (3 * ldc) + 16);
            acc4L = Vector512.Load(c + (4 * ldc));
            acc4H = Vector512.Load(c + (4 * ldc) + 16);
            acc5L = Vector512.Load(c + (5 * ldc));
            acc5H = Vector512.Load(c + (5 * ldc) + 16);
            acc6L = Vector512.Load(c + (6 * ldc));
            acc6H = Vector512.Load(c + (6 * ldc) + 16);
            acc7L = Vector512.Load(c + (7 * ldc));
            acc7H = Vector512.Load(c + (7 * ldc) + 16);
            acc8L = Vector512.Load(c + (8 * ldc));
            acc8H = Vector512.Load(c + (8 * ldc) + 16);
            acc9L = Vector512.Load(c + (9 * ldc));
            acc9H = Vector512.Load(c + (9 * ldc) + 16);
            acc10L = Vector512.Load(c + (10 * ldc));
            acc10H = Vector512.Load(c + (10 * ldc) + 16);
            acc11L = Vector512.Load(c + (11 * ldc));
            acc11H = Vector512.Load(c + (11 * ldc) + 16);
        }
        else
        {
            acc0L = Vector512<float>.Zero;
            acc0H = Vector512<float>.Zero;
            acc1L = Vector512<float>.Zero;
            acc1H = Vector512<float>.Zero;
            acc2L = Vector512<float>.Zero;
            acc2H = Vector512<float>.Zero;
            acc3L = Vector512<float>.Zero;
            acc3H = Vector512<float>.Zero;
            acc4L = Vector512<float>.Zero;
            acc4H = Vector512<float>.Zero;
            acc5L = Vector512<float>.Zero;
            acc5H = Vector512<float>.Zero;
            acc6L = Vector512<float>.Zero;
            acc6H = Vector512<float>.Zero;
            acc7L = Vector512<float>.Zero;
            acc7H = Vector512<float>.Zero;
            acc8L = Vector512<float>.Zero;
            acc8H = Vector512<float>.Zero;
            acc9L = Vector512<float>.Zero;
            acc9H = Vector512<float>.Zero;
            acc10L = Vector512<float>.Zero;
            acc10H = Vector512<float>.Zero;
            acc11L = Vector512<float>.Zero;
            acc11H = Vector512<float>.Zero;
        }
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(bp);
            Vector512<float> b1 = Vector512.Load(bp + 16);
            Vector512<float> a0 = Vector512.Create(ap[0]);
            acc0L = Vector512.FusedMultiplyAdd(a0, b0, acc0L);
            acc0H = Vector512.FusedMultiplyAdd(a0, b1, acc0H);
            Vector512<float> a1 = Vector512.Create(ap[1]);
            acc1L = Vector512.FusedMultiplyAdd(a1, b0, acc1L);
            acc1H = Vector512.FusedMultiplyAdd(a1, b1, acc1H);
            Vector512<float> a2 = Vector512.Create(ap[2]);
            acc2L = Vector512.FusedMultiplyAdd(a2, b0, acc2L);
            acc2H = Vector512.FusedMultiplyAdd(a2, b1, acc2H);
            Vector512<float> a3 = Vector512.Create(ap[3]);
            acc3L = Vector512.FusedMultiplyAdd(a3, b0, acc3L);
            acc3H = Vector512.FusedMultiplyAdd(a3, b1, acc3H);
            Vector512<float> a4 = Vector512.Create(ap[4]);
            acc4L = Vector512.FusedMultiplyAdd(a4, b0, acc4L);
            acc4H = Vector512.FusedMultiplyAdd(a4, b1, acc4H);
            Vector512<float> a5 = Vector512.Create(ap[5]);
            acc5L = Vector512.FusedMultiplyAdd(a5, b0, acc5L);
            acc5H = Vector512.FusedMultiplyAdd(a5, b1, acc5H);
            Vector512<float> a6 = Vector512.Create(ap[6]);
            acc6L = Vector512.FusedMultiplyAdd(a6, b0, acc6L);
            acc6H = Vector512.FusedMultiplyAdd(a6, b1, acc6H);
            Vector512<float> a7 = Vector512.Create(ap[7]);
            acc7L = Vector512.FusedMultiplyAdd(a7, b0, acc7L);
            acc7H = Vector512.FusedMultiplyAdd(a7, b1, acc7H);
            Vector512<float> a8 = Vector512.Create(ap[8]);
            acc8L = Vector512.FusedMultiplyAdd(a8, b0, acc8L);
            acc8H = Vector512.FusedMultiplyAdd(a8, b1, acc8H);
            Vector512<float> a9 = Vector512.Create(ap[9]);
            acc9L = Vector512.FusedMultiplyAdd(a9, b0, acc9L);
            acc9H = Vector512.FusedMultiplyAdd(a9, b1, acc9H);
            Vector512<float> a10 = Vector512.Create(ap[10]);
            acc10L = Vector512.FusedMultiplyAdd(a10, b0, acc10L);
            acc10H = Vector512.FusedMultiplyAdd(a10, b1, acc10H);
            Vector512<float> a11 = Vector512.Create(ap[11]);
            acc11L = Vector512.FusedMultiplyAdd(a11, b0, acc11L);
            acc11H = Vector512.FusedMultiplyAdd(a11, b1, acc11H);
            ap += 12;
            bp += 32;
        }
        if ((flags & FlagDistances) != 0)
        {
            Vector512<float> minusTwo = Vector512.Create(-2f);
            Vector512<float> nb0 = Vector512.Load(nb);
            Vector512<float> nb1 = Vector512.Load(nb + 16);
            Vector512<float> na0 = Vector512.Create(na[0]);
            acc0L = Vector512.Max(Vector512.FusedMultiplyAdd(acc0L, minusTwo, na0 + nb0), Vector512<float>.Zero);
            acc0H = Vector512.Max(Vector512.FusedMultiplyAdd(acc0H, minusTwo, na0 + nb1), Vector512<float>.Zero);
            Vector512<float> na1 = Vector512.Create(na[1]);
            acc1L = Vector512.Max(Vector512.FusedMultiplyAdd(acc1L, minusTwo, na1 + nb0), Vector512<float>.Zero);
            acc1H = Vector512.Max(Vector512.FusedMultiplyAdd(acc1H, minusTwo, na1 + nb1), Vector512<float>.Zero);
            Vector512<float> na2 = Vector512.Create(na[2]);
            acc2L = Vector512.Max(Vector512.FusedMultiplyAdd(acc2L, minusTwo, na2 + nb0), Vector512<float>.Zero);
            acc2H = Vector512.Max(Vector512.FusedMultiplyAdd(acc2H, minusTwo, na2 + nb1), Vector512<float>.Zero);
            Vector512<float> na3 = Vector512.Create(na[3]);
            acc3L = Vector512.Max(Vector512.FusedMultiplyAdd(acc3L, minusTwo, na3 + nb0), Vector512<float>.Zero);
            acc3H = Vector512.Max(Vector512.FusedMultiplyAdd(acc3H, minusTwo, na3 + nb1), Vector512<float>.Zero);
            Vector512<float> na4 = Vector512.Create(na[4]);
            acc4L = Vector512.Max(Vector512.FusedMultiplyAdd(acc4L, minusTwo, na4 + nb0), Vector512<float>.Zero);
            acc4H = Vector512.Max(Vector512.FusedMultiplyAdd(acc4H, minusTwo, na4 + nb1), Vector512<float>.Zero);
            Vector512<float> na5 = Vector512.Create(na[5]);
            acc5L = Vector512.Max(Vector512.FusedMultiplyAdd(acc5L, minusTwo, na5 + nb0), Vector512<float>.Zero);
            acc5H = Vector512.Max(Vector512.FusedMultiplyAdd(acc5H, minusTwo, na5 + nb1), Vector512<float>.Zero);
            Vector512<float> na6 = Vector512.Create(na[6]);
            acc6L = Vector512.Max(Vector512.FusedMultiplyAdd(acc6L, minusTwo, na6 + nb0), Vector512<float>.Zero);
            acc6H = Vector512.Max(Vector512.FusedMultiplyAdd(acc6H, minusTwo, na6 + nb1), Vector512<float>.Zero);
            Vector512<float> na7 = Vector512.Create(na[7]);
            acc7L = Vector512.Max(Vector512.FusedMultiplyAdd(acc7L, minusTwo, na7 + nb0), Vector512<float>.Zero);
            acc7H = Vector512.Max(Vector512.FusedMultiplyAdd(acc7H, minusTwo, na7 + nb1), Vector512<float>.Zero);
            Vector512<float> na8 = Vector512.Create(na[8]);
            acc8L = Vector512.Max(Vector512.FusedMultiplyAdd(acc8L, minusTwo, na8 + nb0), Vector512<float>.Zero);
            acc8H = Vector512.Max(Vector512.FusedMultiplyAdd(acc8H, minusTwo, na8 + nb1), Vector512<float>.Zero);
            Vector512<float> na9 = Vector512.Create(na[9]);
            acc9L = Vector512.Max(Vector512.FusedMultiplyAdd(acc9L, minusTwo, na9 + nb0), Vector512<float>.Zero);
            acc9H = Vector512.Max(Vector512.FusedMultiplyAdd(acc9H, minusTwo, na9 + nb1), Vector512<float>.Zero);
            Vector512<float> na10 = Vector512.Create(na[10]);
            acc10L = Vector512.Max(Vector512.FusedMultiplyAdd(acc10L, minusTwo, na10 + nb0), Vector512<float>.Zero);
            acc10H = Vector512.Max(Vector512.FusedMultiplyAdd(acc10H, minusTwo, na10 + nb1), Vector512<float>.Zero);
            Vector512<float> na11 = Vector512.Create(na[11]);
            acc11L = Vector512.Max(Vector512.FusedMultiplyAdd(acc11L, minusTwo, na11 + nb0), Vector512<float>.Zero);
            acc11H = Vector512.Max(Vector512.FusedMultiplyAdd(acc11H, minusTwo, na11 + nb1), Vector512<float>.Zero);
        }
        acc0L.Store(c);
        acc0H.Store(c + 16);
        acc1L.Store(c + (1 * ldc));
        acc1H.Store(c + (1 * ldc) + 16);
        acc2L.Store(c + (2 * ldc));
        acc2H.Store(c + (2 * ldc) + 16);
        acc3L.Store(c + (3 * ldc));
        acc3H.Store(c + (3 * ldc) + 16);
        acc4L.Store(c + (4 * ldc));
        acc4H.Store(c + (4 * ldc) + 16);
        acc5L.Store(c + (5 * ldc));
        acc5H.Store(c + (5 * ldc) + 16);
        acc6L.Store(c + (6 * ldc));
        acc6H.Store(c + (6 * ldc) + 16);
        acc7L.Store(c + (7 * ldc));
        acc7H.Store(c + (7 * ldc) + 16);
        acc8L.Store(c + (8 * ldc));
        acc8H.Store(c + (8 * ldc) + 16);
        acc9L.Store(c + (9 * ldc));
        acc9H.Store(c + (9 * ldc) + 16);
        acc10L.Store(c + (10 * ldc));
        acc10H.Store(c + (10 * ldc) + 16);
        acc11L.Store(c + (11 * ldc));
        acc11H.Store(c + (11 * ldc) + 16);
    }

    /// <summary>
    /// The 6 × 16 micro-kernel on <c>Vector256&lt;float&gt;</c>: C[0..6, 0..16) (row stride ldc) += or = Σ_p ap[p·6 + i]·bp[p·16 + j],
    /// 12 accumulators in registers, one broadcast of A and 2 loads of B per step p; optional distance epilogue.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(int kc, float* ap, float* bp, float* c, nint ldc, int flags, float* na, float* nb)
    {
        Vector256<float> acc0L, acc0H, acc1L, acc1H, acc2L, acc2H, acc3L, acc3H, acc4L, acc4H, acc5L, acc5H;
        if ((flags & FlagAccumulate) != 0)
        {
            acc0L = Vector256.Load(c);
            acc0H = Vector256.Load(c + 8);
            acc1L = Vector256.Load(c + (1 * ldc));
            acc1H = Vector256.Load(c + (1 * ldc) + 8);
            acc2L = Vector256.Load(c + (2 * ldc));
            acc2H = Vector256.Load(c + (2 * ldc) + 8);
            acc3L = Vector256.Load(c + (3 * ldc));
            acc3H = Vector256.Load(c + (3 * ldc) + 8);
            acc4L = Vector256.Load(c + (4 * ldc));
            acc4H = Vector256.Load(c + (4 * ldc) + 8);
            acc5L = Vector256.Load(c + (5 * ldc));
            acc5H = Vector256.Load(c + (5 * ldc) + 8);
        }
        else
        {
            acc0L = Vector256<float>.Zero;
            acc0H = Vector256<float>.Zero;
            acc1L = Vector256<float>.Zero;
            acc1H = Vector256<float>.Zero;
            acc2L = Vector256<float>.Zero;
            acc2H = Vector256<float>.Zero;
            acc3L = Vector256<float>.Zero;
            acc3H = Vector256<float>.Zero;
            acc4L = Vector256<float>.Zero;
            acc4H = Vector256<float>.Zero;
            acc5L = Vector256<float>.Zero;
            acc5H = Vector256<float>.Zero;
        }
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(bp);
            Vector256<float> b1 = Vector256.Load(bp + 8);
            Vector256<float> a0 = Vector256.Create(ap[0]);
            acc0L = Vector256.FusedMultiplyAdd(a0, b0, acc0L);
            acc0H = Vector256.FusedMultiplyAdd(a0, b1, acc0H);
            Vector256<float> a1 = Vector256.Create(ap[1]);
            acc1L = Vector256.FusedMultiplyAdd(a1, b0, acc1L);
            acc1H = Vector256.FusedMultiplyAdd(a1, b1, acc1H);
            Vector256<float> a2 = Vector256.Create(ap[2]);
            acc2L = Vector256.FusedMultiplyAdd(a2, b0, acc2L);
            acc2H = Vector256.FusedMultiplyAdd(a2, b1, acc2H);
            Vector256<float> a3 = Vector256.Create(ap[3]);
            acc3L = Vector256.FusedMultiplyAdd(a3, b0, acc3L);
            acc3H = Vector256.FusedMultiplyAdd(a3, b1, acc3H);
            Vector256<float> a4 = Vector256.Create(ap[4]);
            acc4L = Vector256.FusedMultiplyAdd(a4, b0, acc4L);
            acc4H = Vector256.FusedMultiplyAdd(a4, b1, acc4H);
            Vector256<float> a5 = Vector256.Create(ap[5]);
            acc5L = Vector256.FusedMultiplyAdd(a5, b0, acc5L);
            acc5H = Vector256.FusedMultiplyAdd(a5, b1, acc5H);
            ap += 6;
            bp += 16;
        }
        if ((flags & FlagDistances) != 0)
        {
            Vector256<float> minusTwo = Vector256.Create(-2f);
            Vector256<float> nb0 = Vector256.Load(nb);
            Vector256<float> nb1 = Vector256.Load(nb + 8);
            Vector256<float> na0 = Vector256.Create(na[0]);
            acc0L = Vector256.Max(Vector256.FusedMultiplyAdd(acc0L, minusTwo, na0 + nb0), Vector256<float>.Zero);
            acc0H = Vector256.Max(Vector256.FusedMultiplyAdd(acc0H, minusTwo, na0 + nb1), Vector256<float>.Zero);
            Vector256<float> na1 = Vector256.Create(na[1]);
            acc1L = Vector256.Max(Vector256.FusedMultiplyAdd(acc1L, minusTwo, na1 + nb0), Vector256<float>.Zero);
            acc1H = Vector256.Max(Vector256.FusedMultiplyAdd(acc1H, minusTwo, na1 + nb1), Vector256<float>.Zero);
            Vector256<float> na2 = Vector256.Create(na[2]);
            acc2L = Vector256.Max(Vector256.FusedMultiplyAdd(acc2L, minusTwo, na2 + nb0), Vector256<float>.Zero);
            acc2H = Vector256.Max(Vector256.FusedMultiplyAdd(acc2H, minusTwo, na2 + nb1), Vector256<float>.Zero);
            Vector256<float> na3 = Vector256.Create(na[3]);
            acc3L = Vector256.Max(Vector256.FusedMultiplyAdd(acc3L, minusTwo, na3 + nb0), Vector256<float>.Zero);
            acc3H = Vector256.Max(Vector256.FusedMultiplyAdd(acc3H, minusTwo, na3 + nb1), Vector256<float>.Zero);
            Vector256<float> na4 = Vector256.Create(na[4]);
            acc4L = Vector256.Max(Vector256.FusedMultiplyAdd(acc4L, minusTwo, na4 + nb0), Vector256<float>.Zero);
            acc4H = Vector256.Max(Vector256.FusedMultiplyAdd(acc4H, minusTwo, na4 + nb1), Vector256<float>.Zero);
            Vector256<float> na5 = Vector256.Create(na[5]);
            acc5L = Vector256.Max(Vector256.FusedMultiplyAdd(acc5L, minusTwo, na5 + nb0), Vector256<float>.Zero);
            acc5H = Vector256.Max(Vector256.FusedMultiplyAdd(acc5H, minusTwo, na5 + nb1), Vector256<float>.Zero);
        }
        acc0L.Store(c);
        acc0H.Store(c + 8);
        acc1L.Store(c + (1 * ldc));
        acc1H.Store(c + (1 * ldc) + 8);
        acc2L.Store(c + (2 * ldc));
        acc2H.Store(c + (2 * ldc) + 8);
        acc3L.Store(c + (3 * ldc));
        acc3H.Store(c + (3 * ldc) + 8);
        acc4L.Store(c + (4 * ldc));
        acc4H.Store(c + (4 * ldc) + 8);
        acc5L.Store(c + (5 * ldc));
        acc5H.Store(c + (5 * ldc) + 8);
    }
}
