using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Luna.Core.Bundles;
using Luna.Core.Data;

namespace Luna.Core.Tests.Bundles;

public class ModelBundleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("luna-bundle").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name = "m.luna")
    {
        var writer = new ModelBundle.Writer();
        writer.AddMatrix("reference/train.features.npy", new FeatureMatrix([1f, 2f, 3f, 4f, 5f, 6f], 2, 3));
        writer.AddLabels("reference/train.labels.npy", [0, 1]);
        writer.Add("notes.bin", [9, 8, 7]);
        string path = Path.Combine(_folder, name);
        writer.Write(path, new JsonObject { ["classNames"] = new JsonArray("a", "b"), ["format"] = "ignored" });
        return path;
    }

    [Fact]
    public void A_written_bundle_reads_back_with_its_manifest_entries_and_checksums()
    {
        ModelBundle bundle = ModelBundle.Read(Write());
        Assert.Equal(1, bundle.FormatVersion);
        Assert.Equal("luna-model", bundle.Manifest["format"]!.GetValue<string>());
        Assert.Equal(["a", "b"], bundle.Manifest["classNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["notes.bin", "reference/train.features.npy", "reference/train.labels.npy"], bundle.EntryNames);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], bundle.Matrix("reference/train.features.npy").Array);
        Assert.Equal([0, 1], bundle.Labels("reference/train.labels.npy"));
        Assert.Equal([9, 8, 7], bundle.Entry("notes.bin"));
        Assert.Equal(ModelBundle.Sha256([9, 8, 7]), bundle.Manifest["entries"]!["notes.bin"]!["sha256"]!.GetValue<string>());
        Assert.Equal(3, bundle.Manifest["entries"]!["notes.bin"]!["bytes"]!.GetValue<int>());
        Assert.Equal($"{bundle.Path}: entry 'missing.npy' is missing from the model file", Assert.Throws<LunaInputException>(() => bundle.Entry("missing.npy")).Message);
    }

    [Fact]
    public void The_sha256_is_the_standard_one()
    {
        // printf 'abc' | sha256sum
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelBundle.Sha256("abc"u8));
    }

    [Fact]
    public void A_missing_file_or_a_folder_is_named_plainly()
    {
        string missing = Path.Combine(_folder, "none.luna");
        Assert.Equal($"{missing}: model file not found", Assert.Throws<LunaInputException>(() => ModelBundle.Read(missing)).Message);
        Assert.Contains("is a folder", Assert.Throws<LunaInputException>(() => ModelBundle.Read(_folder)).Message);
    }

    [Theory]
    [InlineData("empty", "is empty, not a Luna model file")]
    [InlineData("text", "is not a Luna model file (a .luna file is a zip archive written by luna train; this one does not start with a zip header)")]
    [InlineData("checkpoint", "is a training checkpoint (.ckpt), not a model file")]
    [InlineData("foreign-zip", "is not a Luna model file (a zip archive without manifest.json)")]
    [InlineData("foreign-manifest", "is not a Luna model file (manifest.json field 'format' is 'something-else', expected 'luna-model')")]
    public void A_foreign_file_is_named_as_not_a_model(string kind, string expected)
    {
        string path = Path.Combine(_folder, kind + ".luna");
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "text":
                File.WriteAllText(path, "hello");
                break;
            case "checkpoint":
                File.WriteAllBytes(path, Encoding.ASCII.GetBytes("LUNACKPT\x01\0\0\0"));
                break;
            case "foreign-zip":
                using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    zip.CreateEntry("readme.txt");
                }
                break;
            default:
                using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
                    w.Write("{\"format\": \"something-else\"}");
                }
                break;
        }
        var e = Assert.Throws<LunaInputException>(() => ModelBundle.Read(path));
        Assert.StartsWith($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void A_truncated_file_is_named_damaged_or_truncated()
    {
        string path = Write();
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
        var e = Assert.Throws<LunaInputException>(() => ModelBundle.Read(path));
        Assert.StartsWith($"{path}: damaged or truncated model file", e.Message);
    }

    [Fact]
    public void A_changed_entry_is_named_by_its_checksum_mismatch()
    {
        string path = Write();
        Rewrite(path, "notes.bin", [9, 8, 6]);
        var e = Assert.Throws<LunaInputException>(() => ModelBundle.Read(path));
        Assert.StartsWith($"{path}: damaged model file: entry 'notes.bin' fails its checksum (SHA-256 ", e.Message);
    }

    [Fact]
    public void A_missing_or_unlisted_entry_is_named()
    {
        string path = Write();
        Rewrite(path, "notes.bin", null);
        Assert.Equal($"{path}: damaged model file: entry 'notes.bin' listed in the manifest is missing", Assert.Throws<LunaInputException>(() => ModelBundle.Read(path)).Message);
        string other = Write("other.luna");
        Rewrite(other, "extra.bin", [1]);
        Assert.Equal($"{other}: damaged model file: entry 'extra.bin' is not listed in the manifest", Assert.Throws<LunaInputException>(() => ModelBundle.Read(other)).Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_a_newer_luna()
    {
        string path = Write();
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.GetEntry("manifest.json")!;
            JsonObject manifest;
            using (var reader = new StreamReader(entry.Open()))
            {
                manifest = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            }
            entry.Delete();
            manifest["formatVersion"] = 7;
            using var w = new StreamWriter(zip.CreateEntry("manifest.json").Open());
            w.Write(manifest.ToJsonString());
        }
        Assert.Equal($"{path}: model format version 7 is newer than this Luna reads (version 1); use the Luna that wrote it or a newer one", Assert.Throws<LunaInputException>(() => ModelBundle.Read(path)).Message);
    }

    [Fact]
    public void Writing_is_atomic_and_leaves_no_temporary_file()
    {
        string path = Write();
        Assert.Equal(["m.luna"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        var writer = new ModelBundle.Writer();
        Assert.Throws<ArgumentException>(() => writer.Add("manifest.json", [1]));
        writer.Add("a", [1]);
        Assert.Throws<ArgumentException>(() => writer.Add("a", [2]));
        Assert.True(File.Exists(path));
    }

    private static void Rewrite(string path, string entryName, byte[]? content)
    {
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update);
        zip.GetEntry(entryName)?.Delete();
        if (content is not null)
        {
            using Stream s = zip.CreateEntry(entryName).Open();
            s.Write(content);
        }
    }
}
