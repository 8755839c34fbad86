using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using Luna.Training.Build;

namespace Luna.Training.Tests.Build;

public class GlibcxxVersionPatcherTests
{
    // From `readelf -S -V` on TorchSharp 0.107.0's runtimes/linux-x64/native/libLibTorchSharp.so: .gnu.version_r starts at
    // file offset 0x3f8f0; the Vernaux entry "GLIBCXX_3.4.32" (under libstdc++.so.6) is at +0x140; vna_flags is 4 bytes in.
    private const long ExpectedFlagsOffset = 0x3f8f0 + 0x140 + 4;

    [Fact]
    public void Patch_sets_only_the_weak_flag_of_the_GLIBCXX_3_4_32_requirement_in_the_real_library()
    {
        byte[] original = File.ReadAllBytes(OriginalLibraryPath());
        byte[] patched = (byte[])original.Clone();

        Assert.Equal(ExpectedFlagsOffset, GlibcxxVersionPatcher.FindVernauxFlagsOffset(original, "libstdc++.so.6", "GLIBCXX_3.4.32"));
        Assert.Equal(0, original[ExpectedFlagsOffset] & GlibcxxVersionPatcher.VerFlagWeak);
        Assert.Equal(GlibcxxPatchOutcome.Patched, GlibcxxVersionPatcher.Patch(patched));

        Assert.Equal(original.Length, patched.Length);
        var changed = new List<long>();
        for (long i = 0; i < original.Length; i++)
        {
            if (original[i] != patched[i])
            {
                changed.Add(i);
            }
        }
        Assert.Equal(new[] { ExpectedFlagsOffset }, changed);
        Assert.Equal(original[ExpectedFlagsOffset] | 0x2, patched[ExpectedFlagsOffset]);
    }

    [Fact]
    public void Patch_is_idempotent()
    {
        byte[] image = File.ReadAllBytes(OriginalLibraryPath());
        Assert.Equal(GlibcxxPatchOutcome.Patched, GlibcxxVersionPatcher.Patch(image));
        byte[] once = (byte[])image.Clone();

        Assert.Equal(GlibcxxPatchOutcome.AlreadyWeak, GlibcxxVersionPatcher.Patch(image));
        Assert.Equal(once, image);
    }

    [Fact]
    public void Patch_leaves_other_requirements_and_non_elf_files_alone()
    {
        byte[] image = File.ReadAllBytes(OriginalLibraryPath());
        // GLIBCXX_3.4.30 is a real requirement of the same library (readelf: entry +0xd0); the patcher finds it but never flags it.
        Assert.Equal(0x3f8f0 + 0xd0 + 4, GlibcxxVersionPatcher.FindVernauxFlagsOffset(image, "libstdc++.so.6", "GLIBCXX_3.4.30"));
        Assert.Equal(-1, GlibcxxVersionPatcher.FindVernauxFlagsOffset(image, "libc.so.6", "GLIBCXX_3.4.32"));

        byte[] text = System.Text.Encoding.ASCII.GetBytes("not an ELF file, just text that is long enough to have a header's worth of bytes in it.");
        byte[] copy = (byte[])text.Clone();
        Assert.Equal(GlibcxxPatchOutcome.NotApplicable, GlibcxxVersionPatcher.Patch(copy));
        Assert.Equal(text, copy);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void PatchFile_writes_a_new_file_so_a_hard_link_into_the_package_cache_is_not_written_through()
    {
        string folder = Directory.CreateTempSubdirectory("luna-glibcxx-").FullName;
        try
        {
            string cacheCopy = Path.Combine(folder, "cache.so");
            string output = Path.Combine(folder, "output.so");
            File.Copy(OriginalLibraryPath(), cacheCopy);
            var lastWrite = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(cacheCopy, lastWrite);
            using (Process link = Process.Start("ln", new[] { cacheCopy, output })!)
            {
                link.WaitForExit();
                Assert.Equal(0, link.ExitCode);
            }
            byte[] before = File.ReadAllBytes(cacheCopy);

            Assert.Equal(GlibcxxPatchOutcome.Patched, GlibcxxVersionPatcher.PatchFile(output));
            Assert.Equal(GlibcxxPatchOutcome.AlreadyWeak, GlibcxxVersionPatcher.PatchFile(output));

            Assert.Equal(before, File.ReadAllBytes(cacheCopy));
            byte[] expected = (byte[])before.Clone();
            GlibcxxVersionPatcher.Patch(expected);
            Assert.Equal(expected, File.ReadAllBytes(output));
            Assert.Equal(lastWrite, File.GetLastWriteTimeUtc(output));
            Assert.Equal(File.GetUnixFileMode(cacheCopy), File.GetUnixFileMode(output));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void DefinedVersions_of_the_system_libstdcxx_agree_with_the_names_in_its_bytes()
    {
        string? path = GlibcxxVersionPatcher.FindSystemLibStdCxx();
        Assert.NotNull(path);
        byte[] image = File.ReadAllBytes(path);

        IReadOnlyList<string> versions = GlibcxxVersionPatcher.DefinedVersions(image);

        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
        bool nameInFile = IndexOf(image, System.Text.Encoding.ASCII.GetBytes("GLIBCXX_3.4.32\0")) >= 0;
        Assert.Equal(nameInFile, versions.Contains("GLIBCXX_3.4.32"));
        Assert.Equal(nameInFile, GlibcxxVersionPatcher.SystemLibStdCxxDefinesVersion());
    }

    [Fact]
    public void The_build_output_copy_is_weak_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), output);
        byte[] image = File.ReadAllBytes(output);
        long offset = GlibcxxVersionPatcher.FindVernauxFlagsOffset(image, "libstdc++.so.6", "GLIBCXX_3.4.32");
        bool weak = (image[offset] & GlibcxxVersionPatcher.VerFlagWeak) != 0;

        Assert.Equal(!GlibcxxVersionPatcher.SystemLibStdCxxDefinesVersion(), weak);
        Assert.Equal(Sha256(File.ReadAllBytes(OriginalLibraryPath())), Sha256(Unpatched(image, offset)));
    }

    internal static string OriginalLibraryPath()
    {
        string? folder = typeof(GlibcxxVersionPatcherTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TorchSharpPackageFolder").Value;
        string path = Path.Combine(folder!, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), path);
        return path;
    }

    private static byte[] Unpatched(byte[] image, long offset)
    {
        byte[] copy = (byte[])image.Clone();
        copy[offset] = (byte)(copy[offset] & ~GlibcxxVersionPatcher.VerFlagWeak);
        return copy;
    }

    private static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
