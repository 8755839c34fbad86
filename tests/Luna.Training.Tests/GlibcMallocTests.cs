using System.Runtime.InteropServices;

namespace Luna.Training.Tests;

public sealed class GlibcMallocTests
{
    [Fact]
    public void Each_setting_whose_environment_variable_the_user_set_is_left_to_glibc()
    {
        var environment = new Dictionary<string, string> { ["MALLOC_TRIM_THRESHOLD_"] = "1000000" };

        string[] pending = GlibcMalloc.Pending(name => environment.GetValueOrDefault(name)).Select(s => s.Variable).ToArray();

        Assert.Equal(new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_" }, pending);
    }

    [Fact]
    public void The_settings_are_the_documented_values()
    {
        Assert.Equal(
            new[] { ("MALLOC_MMAP_THRESHOLD_", -3, 32 * 1024 * 1024), ("MALLOC_TRIM_THRESHOLD_", -1, 256 * 1024 * 1024), ("MALLOC_TOP_PAD_", -2, 64 * 1024 * 1024) },
            GlibcMalloc.Settings);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void After_apply_glibc_accepts_every_pending_setting_and_serves_a_16_MiB_block_from_the_heap()
    {
        string[] expected = GlibcMalloc.Pending(Environment.GetEnvironmentVariable).Select(s => s.Variable).ToArray();

        IReadOnlyDictionary<string, string> applied = GlibcMalloc.Apply();

        Assert.Equal(expected, applied.Keys);
        if (!applied.ContainsKey("MALLOC_MMAP_THRESHOLD_"))
        {
            return;
        }
        // Below the 32 MiB threshold a block comes from the heap, not from a fresh mapping (mallinfo2's hblks counts those).
        nuint before = mallinfo2().Hblks;
        IntPtr block = Marshal.AllocHGlobal(16 << 20); // malloc on Unix
        try
        {
            Assert.Equal(before, mallinfo2().Hblks);
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();
}
