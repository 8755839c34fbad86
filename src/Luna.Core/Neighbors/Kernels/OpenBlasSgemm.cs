using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// The optional native backend: <c>cblas_sgemm</c> (and <c>cblas_ssyrk</c> for the self-join) from a system OpenBLAS
/// (Debian: package <c>libopenblas0-pthread</c> or <c>libopenblas0</c>, file <c>libopenblas.so.0</c>), found with
/// <see cref="NativeLibrary.TryLoad(string, out nint)"/> at run time. Luna.Core has no build-time or package
/// dependency on it; when the library is absent <see cref="TryLoad"/> returns false and the managed kernel is used.
/// </summary>
/// <remarks>
/// <para>OpenBLAS runs its own thread pool (all cores by default; the environment variables
/// <c>OPENBLAS_NUM_THREADS</c> and <c>OPENBLAS_CORETYPE</c> apply), so calls from several threads are serialized here:
/// each already uses every core, and concurrent calls would only oversubscribe them. Products are one <c>cblas_sgemm</c> call
/// (row-major, B transposed); squared distances are <c>cblas_sgemm</c> with α = −2 followed by one pass adding the norms
/// in the same order as the managed epilogue, max(0, fl(fl(‖a‖² + ‖b‖²) + fl(−2·a·b))), so both backends obey the same
/// error bound (<see cref="Float32DistanceBound"/>), though their values differ in the last bits (OpenBLAS sums in a
/// different order).</para>
/// </remarks>
internal sealed unsafe class OpenBlasSgemm : IInnerProductKernel
{
    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;
    private const int CblasUpper = 121;

    private static readonly string[] s_libraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll", "openblas"];
    private static readonly Lazy<OpenBlasSgemm?> s_shared = new(Load);

    private readonly Lock _gate = new();
    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void> _ssyrk;

    private OpenBlasSgemm(nint library, nint sgemm, nint ssyrk, string description)
    {
        Library = library;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _ssyrk = (delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void>)ssyrk;
        Description = description;
    }

    /// <summary>The handle of the loaded library (kept loaded for the life of the process).</summary>
    public nint Library { get; }

    /// <inheritdoc />
    public KernelBackend Backend => KernelBackend.OpenBlas;

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>True when a usable OpenBLAS was found on this machine.</summary>
    public static bool IsAvailable => s_shared.Value is not null;

    /// <summary>The process-wide native kernel, or false when OpenBLAS cannot be loaded (never throws).</summary>
    public static bool TryLoad([NotNullWhen(true)] out OpenBlasSgemm? kernel)
    {
        kernel = s_shared.Value;
        return kernel is not null;
    }

    private static OpenBlasSgemm? Load()
    {
        foreach (string name in s_libraryNames)
        {
            if (!NativeLibrary.TryLoad(name, typeof(OpenBlasSgemm).Assembly, null, out nint library))
            {
                continue;
            }
            if (NativeLibrary.TryGetExport(library, "cblas_sgemm", out nint sgemm)
                && NativeLibrary.TryGetExport(library, "cblas_ssyrk", out nint ssyrk))
            {
                return new OpenBlasSgemm(library, sgemm, ssyrk, Describe(library, name));
            }
            NativeLibrary.Free(library);
        }
        return null;
    }

    private static string Describe(nint library, string name)
    {
        string config = CallString(library, "openblas_get_config") ?? name;
        string? core = CallString(library, "openblas_get_corename");
        int threads = NativeLibrary.TryGetExport(library, "openblas_get_num_threads", out nint getThreads)
            ? ((delegate* unmanaged<int>)getThreads)()
            : 0;
        return $"{config.Trim()}{(core is null ? "" : $", core {core}")}{(threads > 0 ? $", {threads} threads" : "")}";
    }

    private static string? CallString(nint library, string export)
        => NativeLibrary.TryGetExport(library, export, out nint function)
            ? Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)function)())
            : null;

    /// <inheritdoc />
    public void Products(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int n, int d)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(b.Length, n, d, ldb, nameof(b));
        GemmArguments.CheckMatrix(c.Length, m, n, ldc, nameof(c));
        Gemm(a, lda, b, ldb, c, ldc, m, n, d, alpha: 1f);
    }

    /// <inheritdoc />
    public void SquaredDistances(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> aNorms, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bNorms, Span<float> c, int ldc, int m, int n, int d)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(b.Length, n, d, ldb, nameof(b));
        GemmArguments.CheckMatrix(c.Length, m, n, ldc, nameof(c));
        GemmArguments.CheckNorms(aNorms.Length, m, nameof(aNorms));
        GemmArguments.CheckNorms(bNorms.Length, n, nameof(bNorms));
        Gemm(a, lda, b, ldb, c, ldc, m, n, d, alpha: -2f);
        AddNorms(aNorms, bNorms, c, ldc, m, n, upper: false);
    }

    /// <inheritdoc />
    public void SymmetricProducts(ReadOnlySpan<float> a, int lda, Span<float> c, int ldc, int m, int d, bool mirror)
    {
        GemmArguments.CheckMatrix(a.Length, m, d, lda, nameof(a));
        GemmArguments.CheckMatrix(c.Length, m, m, ldc, nameof(c));
        Syrk(a, lda, c, ldc, m, d, alpha: 1f);
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
        Syrk(a, lda, c, ldc, m, d, alpha: -2f);
        AddNorms(norms, norms, c, ldc, m, m, upper: true);
        if (mirror)
        {
            SymmetricMirror.UpperToLower(c, ldc, m);
        }
    }

    private void Gemm(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int n, int d, float alpha)
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (d == 0)
        {
            // BLAS leaves C untouched when k = 0 only if beta = 1; be explicit instead.
            for (int i = 0; i < m; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            using Lock.Scope scope = _gate.EnterScope();
            _sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, d, alpha, pa, Math.Max(lda, 1), pb, Math.Max(ldb, 1), 0f, pc, Math.Max(ldc, 1));
        }
    }

    private void Syrk(ReadOnlySpan<float> a, int lda, Span<float> c, int ldc, int m, int d, float alpha)
    {
        if (m == 0)
        {
            return;
        }
        if (d == 0)
        {
            for (int i = 0; i < m; i++)
            {
                c.Slice((i * ldc) + i, m - i).Clear();
            }
            return;
        }
        fixed (float* pa = a, pc = c)
        {
            using Lock.Scope scope = _gate.EnterScope();
            _ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, m, d, alpha, pa, Math.Max(lda, 1), 0f, pc, Math.Max(ldc, 1));
        }
    }

    /// <summary>C[i, j] = max(0, fl(aNorms[i] + bNorms[j]) + C[i, j]) for j ≥ (upper ? i : 0), rows spread over the cores.</summary>
    private static void AddNorms(ReadOnlySpan<float> aNorms, ReadOnlySpan<float> bNorms, Span<float> c, int ldc, int m, int n, bool upper)
    {
        fixed (float* pa = aNorms, pb = bNorms, pc = c)
        {
            nint na = (nint)pa;
            nint nb = (nint)pb;
            nint nc = (nint)pc;
            int chunk = Math.Max(1, (1 << 20) / Math.Max(n, 1));
            int chunks = (m + chunk - 1) / chunk;
            Parallel.For(0, chunks, t =>
            {
                int end = Math.Min(m, (t + 1) * chunk);
                for (int i = t * chunk; i < end; i++)
                {
                    int j0 = upper ? i : 0;
                    AddNormsRow(((float*)na)[i], (float*)nb + j0, (float*)nc + ((nint)i * ldc) + j0, n - j0);
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddNormsRow(float aNorm, float* bNorms, float* row, int count)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> na = Vector256.Create(aNorm);
            for (; j + Vector256<float>.Count <= count; j += Vector256<float>.Count)
            {
                Vector256<float> s = na + Vector256.Load(bNorms + j);
                Vector256.Max(s + Vector256.Load(row + j), Vector256<float>.Zero).Store(row + j);
            }
        }
        for (; j < count; j++)
        {
            row[j] = MathF.Max((aNorm + bNorms[j]) + row[j], 0f);
        }
    }
}
