using Luna.Core;
using TorchSharp;

namespace Luna.Training;

/// <summary>Where tensors live and where the network runs.</summary>
public enum DeviceKind
{
    /// <summary>The CPU, with one intra-op thread per logical core.</summary>
    Cpu,

    /// <summary>The first CUDA GPU; only when LibTorch was built with CUDA and a GPU is present.</summary>
    Cuda,
}

/// <summary>Loads TorchSharp's native backend and chooses the compute device.</summary>
public static class TorchSetup
{
    private static readonly object s_gate = new();
    private static bool s_initialized;

    private static IReadOnlyDictionary<string, string> s_allocatorSettings = new Dictionary<string, string>();

    /// <summary>
    /// The glibc allocator settings <see cref="EnsureInitialized"/> applied to this process, as the environment variables
    /// and values that make glibc apply them at a process's start (<c>MALLOC_MMAP_THRESHOLD_</c> = 33554432,
    /// <c>MALLOC_TRIM_THRESHOLD_</c> = 268435456, <c>MALLOC_TOP_PAD_</c> = 67108864); empty before it, off Linux, or for
    /// a variable the user set. They keep LibTorch's tensor buffers in the heap between steps
    /// instead of mapping and unmapping them each time (see docs/benchmarks.md: about 20% of the epoch time here).
    /// </summary>
    public static IReadOnlyDictionary<string, string> AllocatorSettings => s_allocatorSettings;

    /// <summary>
    /// Loads LibTorch (once per process), sets its intra-op thread count to <see cref="Environment.ProcessorCount"/>
    /// and tunes glibc's allocator for tensor buffers (<see cref="AllocatorSettings"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The native library does not load; the message says why and where to look.</exception>
    public static void EnsureInitialized()
    {
        lock (s_gate)
        {
            if (s_initialized)
            {
                return;
            }
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is NotSupportedException or TypeInitializationException or DllNotFoundException)
            {
                Exception cause = e is TypeInitializationException { InnerException: not null } ? e.InnerException : e;
                throw new InvalidOperationException(
                    "TorchSharp's native library (libLibTorchSharp.so with LibTorch 2.10.0 CPU) could not be loaded. "
                    + "If this system's libstdc++ lacks GLIBCXX_3.4.32, the build marks that requirement weak in the output copy of the "
                    + "library; a copy that did not go through the build (or was replaced afterwards) is not patched. "
                    + "See docs/torchsharp-glibcxx.md. TorchSharp said: " + FirstLine(cause.Message),
                    e);
            }
            torch.set_num_threads(Environment.ProcessorCount);
            s_allocatorSettings = GlibcMalloc.Apply();
            s_initialized = true;
        }
    }

    /// <summary>
    /// The torch device for <paramref name="kind"/>, after <see cref="EnsureInitialized"/>.
    /// <see cref="DeviceKind.Cuda"/> is granted only when CUDA is really available.
    /// </summary>
    /// <exception cref="LunaInputException">CUDA was asked for but is not available.</exception>
    public static torch.Device SelectDevice(DeviceKind kind)
    {
        EnsureInitialized();
        switch (kind)
        {
            case DeviceKind.Cpu:
                return torch.CPU;
            case DeviceKind.Cuda:
                if (!torch.cuda.is_available())
                {
                    throw new LunaInputException(
                        "--device: value 'cuda' is not available on this machine (Luna references the CPU build of LibTorch, "
                        + "libtorch-cpu-linux-x64, or no CUDA GPU was found); use --device cpu");
                }
                return torch.CUDA;
            default:
                throw new LunaInputException($"--device: value '{kind}' is not one of cpu, cuda");
        }
    }

    /// <summary>Parses "cpu" or "cuda" (case-insensitive).</summary>
    /// <exception cref="LunaInputException">Any other value.</exception>
    public static DeviceKind ParseDevice(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "cpu" => DeviceKind.Cpu,
            "cuda" => DeviceKind.Cuda,
            _ => throw new LunaInputException($"--device: value '{value}' is not one of cpu, cuda"),
        };
    }

    private static string FirstLine(string text)
    {
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline].TrimEnd();
    }
}
