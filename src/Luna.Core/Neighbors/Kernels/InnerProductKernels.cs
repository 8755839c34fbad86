using System.Diagnostics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>Which inner-product kernel to use.</summary>
internal enum KernelPreference
{
    /// <summary>OpenBLAS when it is installed and measured faster here than the managed kernel, else managed.</summary>
    Auto,

    /// <summary>Always the managed kernel (widest SIMD available).</summary>
    Managed,

    /// <summary>OpenBLAS; an error when it is not installed.</summary>
    OpenBlas,
}

/// <summary>
/// Chooses the inner-product kernel: the managed <see cref="ManagedSgemm"/> is always available; the native
/// <see cref="OpenBlasSgemm"/> is used under <see cref="KernelPreference.Auto"/> only when <c>libopenblas.so.0</c> loads and
/// a short calibration (a 384 × 1536 × 256 product, best of three runs each, about 0.3 GFLOP) finds it at least 5%
/// faster. The choice is made once per process; <see cref="IInnerProductKernel.Backend"/> reports what runs. The
/// environment variable <c>LUNA_KERNEL</c> (<c>managed</c> or <c>openblas</c>) replaces the calibration by a fixed choice.
/// </summary>
internal static class InnerProductKernels
{
    private static readonly Lazy<ManagedSgemm> s_managed = new(() => new ManagedSgemm());
    private static readonly Lazy<(IInnerProductKernel Kernel, string Reason)> s_auto = new(Calibrate);

    /// <summary>The process-wide managed kernel (widest SIMD, all cores).</summary>
    public static ManagedSgemm Managed => s_managed.Value;

    /// <summary>Why <see cref="KernelPreference.Auto"/> chose what it chose (timings of the calibration), for logs.</summary>
    public static string AutoSelectionReason => s_auto.Value.Reason;

    /// <summary>The kernel for <paramref name="preference"/>.</summary>
    /// <exception cref="InvalidOperationException">OpenBLAS was requested and cannot be loaded.</exception>
    public static IInnerProductKernel Get(KernelPreference preference) => preference switch
    {
        KernelPreference.Managed => Managed,
        KernelPreference.OpenBlas => OpenBlasSgemm.TryLoad(out OpenBlasSgemm? native)
            ? native
            : throw new InvalidOperationException("OpenBLAS (libopenblas.so.0) is not installed; on Debian: apt-get install libopenblas0-pthread."),
        _ => s_auto.Value.Kernel,
    };

    /// <summary>The environment variable that overrides <see cref="KernelPreference.Auto"/>: <c>managed</c>, <c>openblas</c> or <c>auto</c>.</summary>
    public const string EnvironmentVariable = "LUNA_KERNEL";

    /// <summary>The choice a value of <see cref="EnvironmentVariable"/> asks for: unset, empty or <c>auto</c> = calibrate.</summary>
    /// <exception cref="LunaInputException">Any other value.</exception>
    internal static KernelPreference FromEnvironment(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => KernelPreference.Auto,
        "managed" => KernelPreference.Managed,
        "openblas" => KernelPreference.OpenBlas,
        _ => throw new LunaInputException($"{EnvironmentVariable}: value '{value}' is not one of auto, managed, openblas"),
    };

    private static (IInnerProductKernel, string) Calibrate()
    {
        KernelPreference forced = FromEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariable));
        if (forced == KernelPreference.Managed)
        {
            return (Managed, $"{EnvironmentVariable}=managed: managed kernel");
        }
        if (forced == KernelPreference.OpenBlas)
        {
            return (Get(KernelPreference.OpenBlas), $"{EnvironmentVariable}=openblas: OpenBLAS kernel");
        }
        if (!OpenBlasSgemm.TryLoad(out OpenBlasSgemm? native))
        {
            return (Managed, "OpenBLAS not found: managed kernel");
        }
        const int m = 384;
        const int n = 1536;
        const int d = 256;
        var rng = new Random(1);
        var a = new float[m * d];
        var b = new float[n * d];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextDouble();
        }
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)rng.NextDouble();
        }
        var c = new float[m * n];
        double Time(IInnerProductKernel kernel)
        {
            kernel.Products(a, d, b, d, c, n, m, n, d);
            double best = double.MaxValue;
            for (int rep = 0; rep < 3; rep++)
            {
                long start = Stopwatch.GetTimestamp();
                kernel.Products(a, d, b, d, c, n, m, n, d);
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return best;
        }
        double managed = Time(Managed);
        double openBlas = Time(native);
        bool useNative = openBlas < 0.95 * managed;
        string reason = $"calibration {m}x{n}x{d}: OpenBLAS {openBlas:F2} ms, managed {managed:F2} ms: {(useNative ? "OpenBLAS" : "managed")} kernel";
        return (useNative ? native : Managed, reason);
    }
}
