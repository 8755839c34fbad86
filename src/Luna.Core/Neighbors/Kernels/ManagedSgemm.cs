using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>SIMD width of the managed kernel's micro-kernel.</summary>
internal enum ManagedSimd
{
    /// <summary>Scalar <see cref="MathF.FusedMultiplyAdd"/>, micro-tile 4 × 8.</summary>
    Scalar,

    /// <summary><c>Vector256&lt;float&gt;</c> FMA, micro-tile 6 × 16 (12 accumulators, fits 16 AVX2 registers).</summary>
    Vector256,

    /// <summary><c>Vector512&lt;float&gt;</c> FMA, micro-tile 12 × 32 (24 accumulators of the 32 AVX-512 registers).</summary>
    Vector512,
}

/// <summary>
/// Cache blocking of the managed kernel: <paramref name="Kc"/> terms of the dot products per pass (depth of the packed
/// panels), <paramref name="Mc"/> rows of A per packed block, <paramref name="Nc"/> rows of B per packed block (and per
/// parallel task).
/// </summary>
internal readonly record struct GemmBlocking(int Kc, int Mc, int Nc)
{
    /// <summary>
    /// Defaults measured best (within the noise of a shared machine) on a 2-core AVX-512 EPYC (Zen 4: 32 KB L1d, 1 MB L2
    /// per core, 32 MB L3): Kc = 512 makes d ≤ 512 a single pass; one A micro-panel (12 × Kc floats, 24 KB) stays in L1
    /// while the packed B block (Kc × Nc, 1.9 MB) streams past it from L2/L3; Mc = 384 keeps the packed A block in L2.
    /// Smaller Kc (256) or Nc (240, 480) and larger Mc (1536) measured up to 10% slower.
    /// </summary>
    public static GemmBlocking Default { get; } = new(512, 384, 960);
}

/// <summary>
/// Managed single-precision GEMM for C = A·Bᵀ (both operands row-major feature matrices), written after the
/// Goto/BLIS design: cache blocking over d (Kc), m (Mc) and n (Nc); A and B blocks packed into contiguous
/// micro-panels; a register-tiled FMA micro-kernel; the column blocks of B spread over all cores.
/// </summary>
/// <remarks>
/// <para>Loop nest, for one task (one block of Nc rows of B, taken by a worker thread from a shared counter):
/// for each pass of Kc terms: pack B[j0.., p0..] into panels of NR rows (p-major: panel[p·NR + j]); for each block of
/// Mc rows of A: pack into panels of MR rows (panel[p·MR + i]); for each A panel (kept in L1): for each B panel
/// (streamed from L2/L3): the micro-kernel updates an MR × NR tile of C held in registers. Whole B panels are packed with
/// AVX-512 16 × 16 register transposes, the rest element by element.</para>
/// <para>Every element C[i, j] is one sequential chain of fused multiply-adds over p = 0, 1, …, d − 1 (a later pass
/// reloads the partial sum from C and continues the chain), so the result does not depend on the blocking, the SIMD
/// width, the number of threads, or whether the symmetric variant is used: all produce bit-identical values, equal to
/// <c>s = MathF.FusedMultiplyAdd(a[p], b[p], s)</c> in order.</para>
/// <para>Distances apply the epilogue C = max(0, fma(−2, c, ‖a‖² + ‖b‖²)) in the micro-kernel, after the last pass,
/// without another sweep over C.</para>
/// </remarks>
internal sealed unsafe partial class ManagedSgemm : IInnerProductKernel
{
    private const int FlagAccumulate = 1;
    private const int FlagDistances = 2;
    private const int MaxTile = 12 * 32;

    private readonly int _mr;
    private readonly int _nr;
    private readonly GemmBlocking _blocking;
    private readonly int _threads;
    private readonly PackPool _packA;
    private readonly PackPool _packB;

    /// <summary>The kernel with the widest SIMD this machine supports, all cores, default blocking.</summary>
    public ManagedSgemm()
        : this(BestSimd)
    {
    }

    /// <summary>Creates the kernel.</summary>
    /// <param name="simd">Micro-kernel width; must be supported here (<see cref="IsSupported"/>).</param>
    /// <param name="threads">Worker threads; 0 = <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="blocking">Cache blocking; null = <see cref="GemmBlocking.Default"/>.</param>
    /// <exception cref="PlatformNotSupportedException">The requested SIMD width is not accelerated on this machine.</exception>
    public ManagedSgemm(ManagedSimd simd, int threads = 0, GemmBlocking? blocking = null)
    {
        if (!IsSupported(simd))
        {
            throw new PlatformNotSupportedException($"The managed {simd} kernel is not hardware accelerated on this machine.");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        Simd = simd;
        (_mr, _nr) = simd switch
        {
            ManagedSimd.Vector512 => (12, 32),
            ManagedSimd.Vector256 => (6, 16),
            _ => (4, 8),
        };
        GemmBlocking b = blocking ?? GemmBlocking.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(b.Kc, 1, nameof(blocking));
        ArgumentOutOfRangeException.ThrowIfLessThan(b.Mc, 1, nameof(blocking));
        ArgumentOutOfRangeException.ThrowIfLessThan(b.Nc, 1, nameof(blocking));
        // Mc and Nc are whole numbers of micro-panels.
        _blocking = new GemmBlocking(b.Kc, RoundUp(b.Mc, _mr), RoundUp(b.Nc, _nr));
        _packA = new PackPool(_blocking.Mc * _blocking.Kc);
        _packB = new PackPool(_blocking.Nc * _blocking.Kc);
        _threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    /// <summary>The widest SIMD the managed kernel can use on this machine.</summary>
    public static ManagedSimd BestSimd =>
        IsSupported(ManagedSimd.Vector512) ? ManagedSimd.Vector512
        : IsSupported(ManagedSimd.Vector256) ? ManagedSimd.Vector256
        : ManagedSimd.Scalar;

    /// <summary>The micro-kernel width in use.</summary>
    public ManagedSimd Simd { get; }

    /// <summary>Worker threads used per call.</summary>
    public int Threads => _threads;

    /// <summary>The cache blocking in use (Mc and Nc rounded up to whole micro-panels).</summary>
    public GemmBlocking Blocking => _blocking;

    /// <inheritdoc />
    public KernelBackend Backend => Simd switch
    {
        ManagedSimd.Vector512 => KernelBackend.ManagedVector512,
        ManagedSimd.Vector256 => KernelBackend.ManagedVector256,
        _ => KernelBackend.ManagedScalar,
    };

    /// <inheritdoc />
    public string Description => $"managed {Simd} ({_mr}x{_nr} micro-tile, kc={_blocking.Kc} mc={_blocking.Mc} nc={_blocking.Nc}, {_threads} threads)";

    /// <summary>True when <paramref name="simd"/> is hardware accelerated here (scalar always is).</summary>
    public static bool IsSupported(ManagedSimd simd) => simd switch
    {
        ManagedSimd.Vector512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        ManagedSimd.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => true,
    };

    /// <inheritdoc />
    public void Products(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int n, int d)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(b.Length, n, d, ldb, nameof(b));
        GemmArguments.CheckMatrix(c.Length, m, n, ldc, nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
        {
            Run(pa, lda, m, null, pb, ldb, n, null, d, pc, ldc, upper: false);
        }
    }

    /// <inheritdoc />
    public void SquaredDistances(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> aNorms, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bNorms, Span<float> c, int ldc, int m, int n, int d)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(b.Length, n, d, ldb, nameof(b));
        GemmArguments.CheckMatrix(c.Length, m, n, ldc, nameof(c));
        GemmArguments.CheckNorms(aNorms.Length, m, nameof(aNorms));
        GemmArguments.CheckNorms(bNorms.Length, n, nameof(bNorms));
        // Full micro-tiles read MR (NR) norms from their first row (column); edge tiles only the valid ones.
        fixed (float* pa = a, pb = b, pc = c, na = aNorms, nb = bNorms)
        {
            Run(pa, lda, m, na, pb, ldb, n, nb, d, pc, ldc, upper: false);
        }
    }

    /// <inheritdoc />
    public void SymmetricProducts(ReadOnlySpan<float> a, int lda, Span<float> c, int ldc, int m, int d, bool mirror)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(c.Length, m, m, ldc, nameof(c));
        fixed (float* pa = a, pc = c)
        {
            Run(pa, lda, m, null, pa, lda, m, null, d, pc, ldc, upper: true);
        }
        if (mirror)
        {
            SymmetricMirror.UpperToLower(c, ldc, m);
        }
    }

    /// <inheritdoc />
    public void SymmetricSquaredDistances(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> norms, Span<float> c, int ldc, int m, int d, bool mirror)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(c.Length, m, m, ldc, nameof(c));
        GemmArguments.CheckNorms(norms.Length, m, nameof(norms));
        fixed (float* pa = a, pc = c, pn = norms)
        {
            Run(pa, lda, m, pn, pa, lda, m, pn, d, pc, ldc, upper: true);
        }
        if (mirror)
        {
            SymmetricMirror.UpperToLower(c, ldc, m);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Everything a worker needs for one call; pointers are pinned by the caller for the whole call.</summary>
    private sealed class Job
    {
        public float* A;
        public nint Lda;
        public int M;
        public float* ANorms;
        public float* B;
        public nint Ldb;
        public int N;
        public float* BNorms;
        public int D;
        public float* C;
        public nint Ldc;
        public bool Upper;
        public int Nc;
        public int Tasks;
        public int Next;
    }

    private void Run(float* a, nint lda, int m, float* aNorms, float* b, nint ldb, int n, float* bNorms, int d, float* c, nint ldc, bool upper)
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (d == 0)
        {
            FillEmptyProducts(m, aNorms, n, bNorms, c, ldc, upper);
            return;
        }
        // Column blocks of B are the parallel tasks: at most Nc wide, as many as a multiple of the thread count and of
        // equal width (whole micro-panels), so that the threads finish together; a shared counter hands them out, which
        // also rebalances when a core is busy with something else.
        int perThread = (int)Math.Min(int.MaxValue, ((long)n + ((long)_threads * _blocking.Nc) - 1) / ((long)_threads * _blocking.Nc));
        int nc = RoundUp((int)((n + ((long)_threads * perThread) - 1) / ((long)_threads * perThread)), _nr);
        int tasks = (n + nc - 1) / nc;
        var job = new Job
        {
            A = a, Lda = lda, M = m, ANorms = aNorms,
            B = b, Ldb = ldb, N = n, BNorms = bNorms,
            D = d, C = c, Ldc = ldc, Upper = upper,
            Nc = nc, Tasks = tasks, Next = 0,
        };
        int workers = Math.Min(_threads, tasks);
        if (workers <= 1)
        {
            Work(job);
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work(job));
        }
    }

    private static void FillEmptyProducts(int m, float* aNorms, int n, float* bNorms, float* c, nint ldc, bool upper)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = upper ? i : 0; j < n; j++)
            {
                c[(i * ldc) + j] = aNorms == null ? 0f : MathF.Max(aNorms[i] + bNorms[j], 0f);
            }
        }
    }

    private void Work(Job job)
    {
        // Equal passes over d: 600 terms with Kc = 512 run as 2 × 300, not 512 + 88.
        int passes = (job.D + _blocking.Kc - 1) / _blocking.Kc;
        int kc = (job.D + passes - 1) / passes;
        int mc = Math.Min(_blocking.Mc, RoundUp(job.M, _mr));
        using PackBuffer packedA = _packA.Rent(mc * kc);
        using PackBuffer packedB = _packB.Rent(job.Nc * kc);
        float* edge = stackalloc float[MaxTile];
        while (true)
        {
            int task = Interlocked.Increment(ref job.Next) - 1;
            if (task >= job.Tasks)
            {
                return;
            }
            // The symmetric variant's blocks grow with the column index: hand out the largest first.
            int block = job.Upper ? job.Tasks - 1 - task : task;
            int j0 = block * job.Nc;
            ColumnBlock(job, j0, Math.Min(job.Nc, job.N - j0), kc, mc, packedA.Pointer, packedB.Pointer, edge);
        }
    }

    /// <summary>All of C[:, j0 .. j0 + nc) (or its rows i &lt; j0 + nc for the symmetric variant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ColumnBlock(Job job, int j0, int nc, int kcMax, int mcMax, float* packedA, float* packedB, float* edge)
    {
        int mr = _mr;
        int nr = _nr;
        int rowLimit = job.Upper ? Math.Min(job.M, j0 + nc) : job.M;
        bool distances = job.ANorms != null;
        for (int p0 = 0; p0 < job.D; p0 += kcMax)
        {
            int kc = Math.Min(kcMax, job.D - p0);
            int flags = (p0 > 0 ? FlagAccumulate : 0) | (distances && p0 + kc == job.D ? FlagDistances : 0);
            PackPanels(job.B + (j0 * job.Ldb) + p0, job.Ldb, nc, kc, nr, packedB);
            for (int i0 = 0; i0 < rowLimit; i0 += mcMax)
            {
                int mc = Math.Min(mcMax, rowLimit - i0);
                PackPanels(job.A + (i0 * job.Lda) + p0, job.Lda, mc, kc, mr, packedA);
                // Each A micro-panel stays in L1 while the packed B block streams past it.
                for (int ir = 0; ir < mc; ir += mr)
                {
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        Tile(job, i0, ir, j0, jr, mc, nc, kc, flags, packedA, packedB, edge);
                    }
                }
            }
        }
    }

    /// <summary>One MR × NR micro-tile of C at rows i0 + ir, columns j0 + jr (skipped below the diagonal when symmetric).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Tile(Job job, int i0, int ir, int j0, int jr, int mc, int nc, int kc, int flags, float* packedA, float* packedB, float* edge)
    {
        int i = i0 + ir;
        int rows = Math.Min(_mr, mc - ir);
        int j = j0 + jr;
        int cols = Math.Min(_nr, nc - jr);
        if (job.Upper && j + cols <= i)
        {
            return; // the whole micro-tile is below the diagonal
        }
        float* ap = packedA + ((nint)ir * kc);
        float* bp = packedB + ((nint)jr * kc);
        float* ct = job.C + (i * job.Ldc) + j;
        float* na = job.ANorms == null ? null : job.ANorms + i;
        float* nb = job.BNorms == null ? null : job.BNorms + j;
        if (rows == _mr && cols == _nr)
        {
            MicroKernel(kc, ap, bp, ct, job.Ldc, flags, na, nb);
        }
        else
        {
            EdgeTile(kc, ap, bp, ct, job.Ldc, rows, cols, flags, na, nb, edge);
        }
    }

    /// <summary>
    /// Packs a rows × kc block (row stride ld) into panels of <paramref name="r"/> rows, each stored p-major:
    /// dst[panel·kc·r + p·r + i] = src[(panel·r + i)·ld + p]; rows past the end are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanels(float* src, nint ld, int rows, int kc, int r, float* dst)
    {
        for (int i0 = 0; i0 < rows; i0 += r)
        {
            float* panel = dst + ((nint)i0 * kc);
            int count = Math.Min(r, rows - i0);
            int p0 = 0;
            if (count == r && r % 16 == 0 && Avx512F.IsSupported)
            {
                // Whole 16 × 16 blocks by register transposes; the last kc mod 16 columns below.
                for (; p0 + 16 <= kc; p0 += 16)
                {
                    for (int g = 0; g < r; g += 16)
                    {
                        Transpose16x16(src + ((i0 + g) * ld) + p0, ld, panel + ((nint)p0 * r) + g, r);
                    }
                }
            }
            for (int i = 0; i < count; i++)
            {
                float* s = src + ((i0 + i) * ld);
                float* t = panel + i;
                for (int p = p0; p < kc; p++)
                {
                    t[(nint)p * r] = s[p];
                }
            }
            for (int i = count; i < r; i++)
            {
                float* t = panel + i;
                for (int p = 0; p < kc; p++)
                {
                    t[(nint)p * r] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// dst[q·ldd + i] = src[i·lds + q] for i, q &lt; 16: a 16 × 16 transpose in registers, four rounds of the perfect
    /// shuffle (round t pairs vector j with vector j + 8 and interleaves their elements), each 16 two-source permutes.
    /// </summary>
    private static void Transpose16x16(float* src, nint lds, float* dst, nint ldd)
    {
        Vector512<int> low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        Vector512<int> high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        Vector512<float> r0 = Vector512.Load(src), r1 = Vector512.Load(src + lds), r2 = Vector512.Load(src + (2 * lds)), r3 = Vector512.Load(src + (3 * lds));
        Vector512<float> r4 = Vector512.Load(src + (4 * lds)), r5 = Vector512.Load(src + (5 * lds)), r6 = Vector512.Load(src + (6 * lds)), r7 = Vector512.Load(src + (7 * lds));
        Vector512<float> r8 = Vector512.Load(src + (8 * lds)), r9 = Vector512.Load(src + (9 * lds)), r10 = Vector512.Load(src + (10 * lds)), r11 = Vector512.Load(src + (11 * lds));
        Vector512<float> r12 = Vector512.Load(src + (12 * lds)), r13 = Vector512.Load(src + (13 * lds)), r14 = Vector512.Load(src + (14 * lds)), r15 = Vector512.Load(src + (15 * lds));
        for (int round = 0; round < 4; round++)
        {
            Vector512<float> t0 = Avx512F.PermuteVar16x32x2(r0, low, r8), t1 = Avx512F.PermuteVar16x32x2(r0, high, r8);
            Vector512<float> t2 = Avx512F.PermuteVar16x32x2(r1, low, r9), t3 = Avx512F.PermuteVar16x32x2(r1, high, r9);
            Vector512<float> t4 = Avx512F.PermuteVar16x32x2(r2, low, r10), t5 = Avx512F.PermuteVar16x32x2(r2, high, r10);
            Vector512<float> t6 = Avx512F.PermuteVar16x32x2(r3, low, r11), t7 = Avx512F.PermuteVar16x32x2(r3, high, r11);
            Vector512<float> t8 = Avx512F.PermuteVar16x32x2(r4, low, r12), t9 = Avx512F.PermuteVar16x32x2(r4, high, r12);
            Vector512<float> t10 = Avx512F.PermuteVar16x32x2(r5, low, r13), t11 = Avx512F.PermuteVar16x32x2(r5, high, r13);
            Vector512<float> t12 = Avx512F.PermuteVar16x32x2(r6, low, r14), t13 = Avx512F.PermuteVar16x32x2(r6, high, r14);
            Vector512<float> t14 = Avx512F.PermuteVar16x32x2(r7, low, r15), t15 = Avx512F.PermuteVar16x32x2(r7, high, r15);
            (r0, r1, r2, r3, r4, r5, r6, r7) = (t0, t1, t2, t3, t4, t5, t6, t7);
            (r8, r9, r10, r11, r12, r13, r14, r15) = (t8, t9, t10, t11, t12, t13, t14, t15);
        }
        r0.Store(dst);
        r1.Store(dst + ldd);
        r2.Store(dst + (2 * ldd));
        r3.Store(dst + (3 * ldd));
        r4.Store(dst + (4 * ldd));
        r5.Store(dst + (5 * ldd));
        r6.Store(dst + (6 * ldd));
        r7.Store(dst + (7 * ldd));
        r8.Store(dst + (8 * ldd));
        r9.Store(dst + (9 * ldd));
        r10.Store(dst + (10 * ldd));
        r11.Store(dst + (11 * ldd));
        r12.Store(dst + (12 * ldd));
        r13.Store(dst + (13 * ldd));
        r14.Store(dst + (14 * ldd));
        r15.Store(dst + (15 * ldd));
    }

    private void MicroKernel(int kc, float* ap, float* bp, float* c, nint ldc, int flags, float* na, float* nb)
    {
        switch (Simd)
        {
            case ManagedSimd.Vector512:
                Kernel512(kc, ap, bp, c, ldc, flags, na, nb);
                break;
            case ManagedSimd.Vector256:
                Kernel256(kc, ap, bp, c, ldc, flags, na, nb);
                break;
            default:
                KernelScalar(kc, ap, bp, c, ldc, flags, na, nb, _mr, _nr);
                break;
        }
    }

    /// <summary>
    /// A partial micro-tile (rows &lt; MR or cols &lt; NR): the micro-kernel works on a full tile in
    /// <paramref name="edge"/>, then the valid part is copied to C (with the same distance epilogue, in scalar form).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EdgeTile(int kc, float* ap, float* bp, float* c, nint ldc, int rows, int cols, int flags, float* na, float* nb, float* edge)
    {
        int nr = _nr;
        if ((flags & FlagAccumulate) != 0)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    edge[(i * nr) + j] = c[(i * ldc) + j];
                }
            }
        }
        MicroKernel(kc, ap, bp, edge, nr, flags & FlagAccumulate, null, null);
        bool distances = (flags & FlagDistances) != 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                float v = edge[(i * nr) + j];
                c[(i * ldc) + j] = distances ? Epilogue(v, na[i], nb[j]) : v;
            }
        }
    }

    /// <summary>The scalar distance epilogue: max(0, fl(fl(‖a‖² + ‖b‖²) − 2c)) with one rounding for the subtraction.</summary>
    private static float Epilogue(float product, float aNorm, float bNorm)
        => MathF.Max(MathF.FusedMultiplyAdd(product, -2f, aNorm + bNorm), 0f);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelScalar(int kc, float* ap, float* bp, float* c, nint ldc, int flags, float* na, float* nb, int mr, int nr)
    {
        float* acc = stackalloc float[MaxTile];
        for (int i = 0; i < mr; i++)
        {
            for (int j = 0; j < nr; j++)
            {
                acc[(i * nr) + j] = (flags & FlagAccumulate) != 0 ? c[(i * ldc) + j] : 0f;
            }
        }
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < mr; i++)
            {
                float av = ap[i];
                for (int j = 0; j < nr; j++)
                {
                    acc[(i * nr) + j] = MathF.FusedMultiplyAdd(av, bp[j], acc[(i * nr) + j]);
                }
            }
            ap += mr;
            bp += nr;
        }
        bool distances = (flags & FlagDistances) != 0;
        for (int i = 0; i < mr; i++)
        {
            for (int j = 0; j < nr; j++)
            {
                float v = acc[(i * nr) + j];
                c[(i * ldc) + j] = distances ? Epilogue(v, na[i], nb[j]) : v;
            }
        }
    }
}
