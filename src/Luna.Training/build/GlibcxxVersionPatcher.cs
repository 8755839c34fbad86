// Marks TorchSharp's needless GLIBCXX_3.4.32 requirement as weak so that libLibTorchSharp.so loads on systems whose
// libstdc++ stops at GLIBCXX_3.4.30 (Debian 12, Ubuntu 22.04). See docs/torchsharp-glibcxx.md for the why and the how.
//
// This one file is used twice:
//   * by MSBuild, as the source of the inline task LunaWeakenGlibcxxRequirement (RoslynCodeTaskFactory, Type="Class";
//     see Luna.Training.targets), which patches the copies of libLibTorchSharp.so in build and publish output folders;
//   * by tests/Luna.Training.Tests, compiled with LUNA_GLIBCXX_PATCHER_NO_TASK so that it needs no MSBuild assemblies.
// The inline task is compiled against netstandard2.0: keep to APIs available there (no spans, no BinaryPrimitives).

#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Luna.Training.Build
{
    /// <summary>What <see cref="GlibcxxVersionPatcher.Patch(byte[])"/> did.</summary>
    public enum GlibcxxPatchOutcome
    {
        /// <summary>The weak flag was set on the GLIBCXX_3.4.32 requirement.</summary>
        Patched,

        /// <summary>The requirement was already weak; nothing changed.</summary>
        AlreadyWeak,

        /// <summary>The file does not ask libstdc++.so.6 for GLIBCXX_3.4.32; nothing changed.</summary>
        NoSuchRequirement,

        /// <summary>The file is not a little-endian ELF64 shared object with a version-needs section; nothing changed.</summary>
        NotApplicable,
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on the one Vernaux entry of an ELF64 file that asks libstdc++.so.6 for GLIBCXX_3.4.32,
    /// and reads the version definitions of a library (to learn whether the system's libstdc++ defines that version).
    /// </summary>
    /// <remarks>
    /// Only the two bytes of that entry's <c>vna_flags</c> are ever written. The glibc loader then treats a missing
    /// GLIBCXX_3.4.32 as a warning instead of a fatal error. This is safe for libLibTorchSharp.so because the only symbol
    /// bound to that version is <c>std::ios_base_library_init()</c>, a marker that GCC 13's &lt;iostream&gt; references
    /// without calling it (the library has no relocation against it).
    /// </remarks>
    public static class GlibcxxVersionPatcher
    {
        /// <summary>The version requirement that is made weak.</summary>
        public const string Version = "GLIBCXX_3.4.32";

        /// <summary>The library the requirement is addressed to.</summary>
        public const string Dependency = "libstdc++.so.6";

        /// <summary>The file name of TorchSharp's native glue library on Linux.</summary>
        public const string TorchSharpLibrary = "libLibTorchSharp.so";

        /// <summary>ELF flag of a Vernaux entry: a missing version is not fatal.</summary>
        public const ushort VerFlagWeak = 0x2;

        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtStrtab = 3;

        /// <summary>
        /// Finds the offset of the <c>vna_flags</c> field of the Vernaux entry (<paramref name="dependency"/>, <paramref name="version"/>)
        /// in an ELF64 little-endian image, or -1 when the image has no such entry or is not such an ELF file.
        /// </summary>
        public static long FindVernauxFlagsOffset(byte[] image, string dependency, string version)
        {
            if (image == null)
            {
                throw new ArgumentNullException(nameof(image));
            }
            foreach (Section section in ReadSections(image))
            {
                if (section.Type != ShtGnuVerneed)
                {
                    continue;
                }
                Section strings = StringTable(image, section.Link);
                long verneed = section.Offset;
                long end = section.Offset + section.Size;
                // sh_info holds the number of Verneed entries; vn_next chains them (0 ends the chain).
                for (uint n = 0; n < section.Info && verneed + 16 <= end; n++)
                {
                    ushort count = U16(image, verneed + 2);
                    string file = ReadString(image, strings, U32(image, verneed + 4));
                    long aux = verneed + U32(image, verneed + 8);
                    for (ushort a = 0; a < count && aux + 16 <= end; a++)
                    {
                        string name = ReadString(image, strings, U32(image, aux + 8));
                        if (file == dependency && name == version)
                        {
                            return aux + 4;
                        }
                        uint nextAux = U32(image, aux + 12);
                        if (nextAux == 0)
                        {
                            break;
                        }
                        aux += nextAux;
                    }
                    uint next = U32(image, verneed + 12);
                    if (next == 0)
                    {
                        break;
                    }
                    verneed += next;
                }
            }
            return -1;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the libstdc++.so.6 / GLIBCXX_3.4.32 requirement of <paramref name="image"/>, in place.
        /// Idempotent; no other byte changes.
        /// </summary>
        public static GlibcxxPatchOutcome Patch(byte[] image)
        {
            if (!IsElf64LittleEndian(image))
            {
                return GlibcxxPatchOutcome.NotApplicable;
            }
            long offset = FindVernauxFlagsOffset(image, Dependency, Version);
            if (offset < 0)
            {
                return GlibcxxPatchOutcome.NoSuchRequirement;
            }
            ushort flags = U16(image, offset);
            if ((flags & VerFlagWeak) != 0)
            {
                return GlibcxxPatchOutcome.AlreadyWeak;
            }
            flags |= VerFlagWeak;
            image[offset] = (byte)(flags & 0xff);
            image[offset + 1] = (byte)(flags >> 8);
            return GlibcxxPatchOutcome.Patched;
        }

        /// <summary>
        /// Patches the file at <paramref name="path"/>: the patched content goes to a temporary copy (same permissions,
        /// same last-write time, so incremental copies still see it as up to date) that is then renamed over the file.
        /// The rename also breaks a hard link into the NuGet cache instead of writing through it.
        /// </summary>
        public static GlibcxxPatchOutcome PatchFile(string path)
        {
            byte[] image = File.ReadAllBytes(path);
            GlibcxxPatchOutcome outcome = Patch(image);
            if (outcome != GlibcxxPatchOutcome.Patched)
            {
                return outcome;
            }
            long offset = FindVernauxFlagsOffset(image, Dependency, Version);
            DateTime lastWrite = File.GetLastWriteTimeUtc(path);
            string temp = path + ".luna-glibcxx.tmp";
            File.Copy(path, temp, true);
            try
            {
                using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
                {
                    stream.Position = offset;
                    stream.Write(image, (int)offset, 2);
                }
                File.SetLastWriteTimeUtc(temp, lastWrite);
                File.Delete(path);
                File.Move(temp, path);
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
            return outcome;
        }

        /// <summary>The version names a library defines (its .gnu.version_d section), e.g. GLIBCXX_3.4.30 for libstdc++.</summary>
        public static IReadOnlyList<string> DefinedVersions(byte[] image)
        {
            var names = new List<string>();
            foreach (Section section in ReadSections(image))
            {
                if (section.Type != ShtGnuVerdef)
                {
                    continue;
                }
                Section strings = StringTable(image, section.Link);
                long verdef = section.Offset;
                long end = section.Offset + section.Size;
                for (uint n = 0; n < section.Info && verdef + 20 <= end; n++)
                {
                    // vd_cnt at 6, vd_aux at 12, vd_next at 16; the first Verdaux names the version itself.
                    if (U16(image, verdef + 6) > 0)
                    {
                        long aux = verdef + U32(image, verdef + 12);
                        names.Add(ReadString(image, strings, U32(image, aux)));
                    }
                    uint next = U32(image, verdef + 16);
                    if (next == 0)
                    {
                        break;
                    }
                    verdef += next;
                }
            }
            return names;
        }

        /// <summary>
        /// The path of the libstdc++.so.6 this process has loaded (from /proc/self/maps; the .NET runtime links it),
        /// else the first one found in the usual library folders, else null.
        /// </summary>
        public static string? FindSystemLibStdCxx()
        {
            const string maps = "/proc/self/maps";
            if (File.Exists(maps))
            {
                foreach (string line in File.ReadAllLines(maps))
                {
                    int slash = line.IndexOf('/');
                    if (slash >= 0 && Path.GetFileName(line.Substring(slash)).StartsWith(Dependency, StringComparison.Ordinal))
                    {
                        return line.Substring(slash);
                    }
                }
            }
            string[] folders = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" };
            foreach (string folder in folders)
            {
                string candidate = Path.Combine(folder, Dependency);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            return null;
        }

        /// <summary>
        /// True when the system's libstdc++ is known to define GLIBCXX_3.4.32 (then no patch is needed);
        /// false when it lacks it or cannot be found (then the patch is applied: a weak requirement is harmless).
        /// </summary>
        public static bool SystemLibStdCxxDefinesVersion()
        {
            string? path = FindSystemLibStdCxx();
            if (path == null)
            {
                return false;
            }
            try
            {
                return ((IList<string>)DefinedVersions(File.ReadAllBytes(path))).Contains(Version);
            }
            catch (IOException)
            {
                return false;
            }
        }

        private static bool IsElf64LittleEndian(byte[] image)
        {
            return image.Length >= 64 && image[0] == 0x7f && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F'
                && image[4] == 2 && image[5] == 1;
        }

        private struct Section
        {
            public uint Type;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
        }

        private static List<Section> ReadSections(byte[] image)
        {
            var sections = new List<Section>();
            if (!IsElf64LittleEndian(image))
            {
                return sections;
            }
            long shoff = (long)U64(image, 0x28);
            ushort shentsize = U16(image, 0x3a);
            long shnum = U16(image, 0x3c);
            if (shoff <= 0 || shentsize < 64 || shoff + shentsize > image.Length)
            {
                return sections;
            }
            if (shnum == 0)
            {
                // More than 0xff00 sections: the real count is in section 0's sh_size.
                shnum = (long)U64(image, shoff + 32);
            }
            for (long i = 0; i < shnum; i++)
            {
                long header = shoff + (i * shentsize);
                if (header + 64 > image.Length)
                {
                    break;
                }
                var section = new Section
                {
                    Type = U32(image, header + 4),
                    Offset = (long)U64(image, header + 24),
                    Size = (long)U64(image, header + 32),
                    Link = U32(image, header + 40),
                    Info = U32(image, header + 44),
                };
                if (section.Offset < 0 || section.Size < 0 || section.Offset + section.Size > image.Length)
                {
                    section.Type = 0; // out of the file (e.g. SHT_NOBITS): ignore
                }
                sections.Add(section);
            }
            return sections;
        }

        private static Section StringTable(byte[] image, uint index)
        {
            List<Section> sections = ReadSections(image);
            if (index >= sections.Count || sections[(int)index].Type != ShtStrtab)
            {
                throw new InvalidDataException("ELF version section links to section " + index + ", which is not a string table");
            }
            return sections[(int)index];
        }

        private static string ReadString(byte[] image, Section strings, uint offset)
        {
            long start = strings.Offset + offset;
            long end = strings.Offset + strings.Size;
            long stop = start;
            while (stop < end && image[stop] != 0)
            {
                stop++;
            }
            return start >= end ? string.Empty : Encoding.ASCII.GetString(image, (int)start, (int)(stop - start));
        }

        private static ushort U16(byte[] b, long o) => (ushort)(b[o] | (b[o + 1] << 8));

        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));

        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);
    }

#if !LUNA_GLIBCXX_PATCHER_NO_TASK
    /// <summary>
    /// MSBuild task: patches each listed libLibTorchSharp.so (see <see cref="GlibcxxVersionPatcher"/>) unless the system's
    /// libstdc++ already defines GLIBCXX_3.4.32 (Mode "auto"), always (Mode "always") or never (Mode "never").
    /// </summary>
    public sealed class LunaWeakenGlibcxxRequirement : Microsoft.Build.Utilities.Task
    {
        /// <summary>The files to patch.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

        /// <summary>auto (default), always or never.</summary>
        public string Mode { get; set; } = "auto";

        /// <inheritdoc />
        public override bool Execute()
        {
            string mode = (Mode ?? "auto").Trim().ToLowerInvariant();
            if (mode == "never" || Files.Length == 0)
            {
                return true;
            }
            if (mode != "auto" && mode != "always")
            {
                Log.LogError("LunaTorchSharpGlibcxxPatch: value '" + Mode + "' is not one of auto, always, never");
                return false;
            }
            if (mode == "auto" && GlibcxxVersionPatcher.SystemLibStdCxxDefinesVersion())
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "libstdc++ defines " + GlibcxxVersionPatcher.Version + "; TorchSharp needs no patch.");
                return true;
            }
            foreach (Microsoft.Build.Framework.ITaskItem item in Files)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    GlibcxxPatchOutcome outcome = GlibcxxVersionPatcher.PatchFile(path);
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, path + ": " + outcome);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogError("Could not mark " + GlibcxxVersionPatcher.Version + " weak in " + path + ": " + e.Message);
                    return false;
                }
            }
            return true;
        }
    }
#endif
}
