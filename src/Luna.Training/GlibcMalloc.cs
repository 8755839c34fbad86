using System.Runtime.InteropServices;

namespace Luna.Training;

/// <summary>
/// Keeps glibc's allocator from handing LibTorch's large tensor buffers back to the kernel after every step.
/// </summary>
/// <remarks>
/// LibTorch allocates every activation and gradient with <c>malloc</c>. glibc serves a block above its mmap threshold
/// (128 KiB at first, raised only slowly) with a fresh <c>mmap</c> and returns it with <c>munmap</c> on free, and trims
/// the top of the heap whenever 128 KiB are free there; so a training step of the FMNIST-OLT network (buffers of
/// 1–13 MB) faults in, zeroes and unmaps tens of megabytes of pages each time. Measured on this project's 2-core machine
/// (docs/benchmarks.md, 2026-12-04): 7.2 s of system time in a 20 s run; once the buffers stay in the heap, the epoch
/// went from 4.08 to 3.24 s and inference from 2.64 to 2.09 s. The same settings help PyTorch as much, so
/// <c>luna bench</c> gives its PyTorch peer the same ones through glibc's environment variables.
/// <para>
/// <see cref="Apply"/> sets, through <c>mallopt</c>: <c>M_MMAP_THRESHOLD</c> = 32 MiB (the largest glibc accepts on
/// 64-bit), <c>M_TRIM_THRESHOLD</c> = 256 MiB and <c>M_TOP_PAD</c> = 64 MiB. The cost is that up to about 256 MiB of
/// freed memory stays with the process instead of going back to the system. Each setting is left alone when its
/// environment variable (<c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c>, <c>MALLOC_TOP_PAD_</c>) is set:
/// glibc has then already applied the user's value. Only on Linux with glibc; elsewhere nothing is done.
/// </para>
/// </remarks>
internal static class GlibcMalloc
{
    // mallopt parameter numbers from glibc's <malloc.h>.
    private const int MTrimThreshold = -1;
    private const int MTopPad = -2;
    private const int MMmapThreshold = -3;

    /// <summary>The settings applied, as (environment variable, mallopt parameter, value).</summary>
    internal static readonly IReadOnlyList<(string Variable, int Parameter, int Value)> Settings =
    [
        ("MALLOC_MMAP_THRESHOLD_", MMmapThreshold, 32 << 20),
        ("MALLOC_TRIM_THRESHOLD_", MTrimThreshold, 256 << 20),
        ("MALLOC_TOP_PAD_", MTopPad, 64 << 20),
    ];

    /// <summary>The settings whose environment variable <paramref name="environment"/> does not set.</summary>
    internal static IEnumerable<(string Variable, int Parameter, int Value)> Pending(Func<string, string?> environment)
        => Settings.Where(s => string.IsNullOrEmpty(environment(s.Variable)));

    /// <summary>
    /// Applies every pending setting of this process's environment; returns the settings glibc accepted, as the
    /// environment variables and values that would make glibc apply them at start-up (empty off Linux, without glibc, or
    /// when the user set them all).
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Apply()
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return applied;
        }
        try
        {
            foreach ((string variable, int parameter, int value) in Pending(Environment.GetEnvironmentVariable))
            {
                if (mallopt(parameter, value) == 1)
                {
                    applied[variable] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl's mallopt, for one, is absent or does nothing): the default allocator stays.
        }
        return applied;
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
