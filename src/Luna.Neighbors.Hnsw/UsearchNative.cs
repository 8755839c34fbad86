using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace Luna.Neighbors.Hnsw;

/// <summary>
/// The few calls of USearch's C API (<c>libusearch_c</c>, shipped by the Cloud.Unum.USearch package) that the index needs,
/// declared here so that rows go in and results come out through pointers (no per-row arrays) and the capacity can be
/// reserved once before a concurrent build, which the package's managed wrapper does not offer.
/// </summary>
internal static unsafe partial class UsearchNative
{
    private const string Library = "libusearch_c";

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    private static partial nint Init(InitOptions* options, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    private static partial void Free(nint index, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    private static partial void Reserve(nint index, nuint capacity, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    private static partial void Add(nint index, ulong key, float* vector, ScalarKind kind, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    private static partial nuint Search(nint index, float* query, ScalarKind kind, nuint count, ulong* keys, float* distances, out nint error);

    [LibraryImport(Library, EntryPoint = "usearch_hardware_acceleration")]
    private static partial nint HardwareAcceleration(nint index, out nint error);

    /// <summary>Creates an index; throws with USearch's message on failure.</summary>
    public static UsearchHandle Create(MetricKind metric, ScalarKind scalar, int dimensions, int connectivity, int expansionAdd, int expansionSearch, int capacity)
    {
        var options = new InitOptions
        {
            MetricKind = metric,
            Metric = 0,
            Quantization = scalar,
            Dimensions = (nuint)dimensions,
            Connectivity = (nuint)connectivity,
            ExpansionAdd = (nuint)expansionAdd,
            ExpansionSearch = (nuint)expansionSearch,
            Multi = 0,
        };
        nint index = Init(&options, out nint error);
        Check(error, "init");
        var handle = new UsearchHandle(index);
        Reserve(index, (nuint)capacity, out error);
        if (error != 0)
        {
            handle.Dispose();
            Check(error, "reserve");
        }
        return handle;
    }

    /// <summary>Adds one float32 row under <paramref name="key"/> (thread-safe up to the reserved thread count).</summary>
    public static void AddRow(UsearchHandle index, ulong key, ReadOnlySpan<float> row)
    {
        fixed (float* p = row)
        {
            Add(index.Pointer, key, p, ScalarKind.Float32, out nint error);
            Check(error, "add");
        }
    }

    /// <summary>Searches one float32 row; writes up to keys.Length keys and squared distances, returns how many.</summary>
    public static int SearchRow(UsearchHandle index, ReadOnlySpan<float> query, Span<ulong> keys, Span<float> distances)
    {
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = distances)
        {
            nuint found = Search(index.Pointer, q, ScalarKind.Float32, (nuint)keys.Length, k, d, out nint error);
            Check(error, "search");
            return (int)found;
        }
    }

    /// <summary>The SIMD code path USearch runs on this machine.</summary>
    public static string Acceleration(UsearchHandle index)
    {
        nint text = HardwareAcceleration(index.Pointer, out nint error);
        Check(error, "hardware acceleration");
        return Marshal.PtrToStringUTF8(text) ?? "unknown";
    }

    private static void Check(nint error, string call)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"USearch {call} failed: {Marshal.PtrToStringUTF8(error)}");
        }
    }

    /// <summary>usearch_init_options_t, blittable (the C bool as one byte).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct InitOptions
    {
        public MetricKind MetricKind;
        public nint Metric;
        public ScalarKind Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    /// <summary>Owns a native index: freed by <see cref="SafeHandle.Dispose()"/> or, failing that, by the finalizer.</summary>
    internal sealed class UsearchHandle : SafeHandle
    {
        public UsearchHandle(nint index)
            : base(0, ownsHandle: true)
        {
            SetHandle(index);
        }

        public override bool IsInvalid => handle == 0;

        /// <summary>The native pointer (valid while the handle is not disposed).</summary>
        public nint Pointer => handle;

        protected override bool ReleaseHandle()
        {
            Free(handle, out _);
            return true;
        }
    }
}
