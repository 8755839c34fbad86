using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Luna.Core.Data;
using Luna.Core.IO;

namespace Luna.Core.Bundles;

/// <summary>
/// A Luna model file (<c>.luna</c>): one zip archive holding <c>manifest.json</c> and any number of binary entries
/// (weights, centers, reference features as <c>.npy</c>, ...). The manifest states the format, its version and, for
/// every entry, its size and SHA-256, so that a damaged or foreign file is recognised on loading and the message says
/// what is wrong.
/// </summary>
/// <remarks>
/// <code>
/// manifest.json   {"format": "luna-model", "formatVersion": 1, ..., "entries": {"name": {"bytes": n, "sha256": "hex"}, ...}}
/// name ...        the entries, stored as written (Deflate, fastest)
/// </code>
/// The file is written through <see cref="AtomicFile"/> (a temporary file renamed over the target when complete).
/// <see cref="Read"/> loads the whole archive into memory and checks, in order: the file exists; it is a zip archive
/// (and not, say, a <c>.ckpt</c> checkpoint); the archive is readable (not truncated); <c>manifest.json</c> is present,
/// valid JSON, of format <c>luna-model</c> and of a version this Luna reads; every listed entry is present with the
/// listed size and SHA-256; no entry is unlisted.
/// </remarks>
public sealed class ModelBundle
{
    /// <summary>The value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "luna-model";

    /// <summary>The newest format version this Luna reads and the version it writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The manifest's entry name.</summary>
    public const string ManifestEntry = "manifest.json";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, byte[]> _entries;

    private ModelBundle(string path, JsonObject manifest, int formatVersion, Dictionary<string, byte[]> entries)
    {
        Path = path;
        Manifest = manifest;
        FormatVersion = formatVersion;
        _entries = entries;
    }

    /// <summary>The file the bundle was read from.</summary>
    public string Path { get; }

    /// <summary>The manifest (format, version, entries and everything the writer put in it).</summary>
    public JsonObject Manifest { get; }

    /// <summary>The file's format version.</summary>
    public int FormatVersion { get; }

    /// <summary>The entry names, manifest excluded, in ordinal order.</summary>
    public IReadOnlyList<string> EntryNames => _entries.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>True when the bundle holds the entry <paramref name="name"/>.</summary>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The bytes of entry <paramref name="name"/> (checked against the manifest's SHA-256 when read).</summary>
    /// <exception cref="LunaInputException">The entry is absent.</exception>
    public byte[] Entry(string name)
    {
        if (!_entries.TryGetValue(name, out byte[]? data))
        {
            throw LunaInputException.InFile(Path, $"entry '{name}' is missing from the model file");
        }
        return data;
    }

    /// <summary>Entry <paramref name="name"/> read as a float32 <c>.npy</c> matrix.</summary>
    public FeatureMatrix Matrix(string name)
    {
        using var stream = new MemoryStream(Entry(name), writable: false);
        return Npy.ReadMatrix(stream, $"{Path}: entry '{name}'");
    }

    /// <summary>Entry <paramref name="name"/> read as an integer <c>.npy</c> vector.</summary>
    public int[] Labels(string name)
    {
        using var stream = new MemoryStream(Entry(name), writable: false);
        return Npy.ReadLabels(stream, $"{Path}: entry '{name}'");
    }

    /// <summary>Hex SHA-256 of <paramref name="data"/> (lower case).</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Hex SHA-256 of the file at <paramref name="path"/> (lower case), streamed.</summary>
    public static string Sha256File(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Reads and checks a model file.</summary>
    /// <exception cref="LunaInputException">The file is missing, foreign, damaged, truncated or too new; the message says which.</exception>
    public static ModelBundle Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw LunaInputException.InFile(path, "is a folder; --model must name a .luna model file written by luna train");
        }
        if (!File.Exists(path))
        {
            throw LunaInputException.InFile(path, "model file not found");
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 8 && Encoding.ASCII.GetString(bytes, 0, 8) == "LUNACKPT")
        {
            throw LunaInputException.InFile(path, "is a training checkpoint (.ckpt), not a model file; luna train writes a model file when --out ends in .luna or the data are images");
        }
        if (bytes.Length < 4 || bytes[0] != (byte)'P' || bytes[1] != (byte)'K' || bytes[2] != 3 || bytes[3] != 4)
        {
            throw LunaInputException.InFile(path, bytes.Length == 0
                ? "is empty, not a Luna model file"
                : "is not a Luna model file (a .luna file is a zip archive written by luna train; this one does not start with a zip header)");
        }
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        byte[]? manifestBytes = null;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                using Stream stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                if (entry.FullName == ManifestEntry)
                {
                    manifestBytes = copy.ToArray();
                }
                else if (!entries.TryAdd(entry.FullName, copy.ToArray()))
                {
                    throw LunaInputException.InFile(path, $"damaged model file: entry '{entry.FullName}' appears twice");
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw LunaInputException.InFile(path, $"damaged or truncated model file (the archive cannot be read: {e.Message})");
        }
        catch (IOException e)
        {
            throw LunaInputException.InFile(path, $"damaged or truncated model file (the archive cannot be read: {e.Message})");
        }
        if (manifestBytes is null)
        {
            throw LunaInputException.InFile(path, $"is not a Luna model file (a zip archive without {ManifestEntry})");
        }
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(manifestBytes) as JsonObject
                ?? throw LunaInputException.InFile(path, $"damaged model file: {ManifestEntry} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw LunaInputException.InFile(path, $"damaged model file: {ManifestEntry} is not valid JSON ({e.Message})");
        }
        string? format = manifest["format"] is JsonValue f && f.TryGetValue(out string? s) ? s : null;
        if (format != FormatName)
        {
            throw LunaInputException.InFile(path, $"is not a Luna model file ({ManifestEntry} field 'format' is {(format is null ? "missing" : $"'{format}'")}, expected '{FormatName}')");
        }
        int version = manifest["formatVersion"] is JsonValue v && v.TryGetValue(out int n) ? n : 0;
        if (version < 1)
        {
            throw LunaInputException.InFile(path, $"damaged model file: {ManifestEntry} field 'formatVersion' is missing or not a positive integer");
        }
        if (version > CurrentFormatVersion)
        {
            throw LunaInputException.InFile(path, $"model format version {version} is newer than this Luna reads (version {CurrentFormatVersion}); use the Luna that wrote it or a newer one");
        }
        if (manifest["entries"] is not JsonObject listed)
        {
            throw LunaInputException.InFile(path, $"damaged model file: {ManifestEntry} field 'entries' is missing");
        }
        foreach ((string name, JsonNode? info) in listed)
        {
            if (!entries.TryGetValue(name, out byte[]? data))
            {
                throw LunaInputException.InFile(path, $"damaged model file: entry '{name}' listed in the manifest is missing");
            }
            string? expected = info?["sha256"]?.GetValue<string>();
            long? size = info?["bytes"]?.GetValue<long>();
            if (size is not null && size != data.Length)
            {
                throw LunaInputException.InFile(path, $"damaged model file: entry '{name}' has {data.Length} bytes, the manifest says {size}");
            }
            string actual = Sha256(data);
            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw LunaInputException.InFile(path, $"damaged model file: entry '{name}' fails its checksum (SHA-256 {actual[..12]}…, the manifest says {(expected is null ? "nothing" : expected[..Math.Min(12, expected.Length)] + "…")})");
            }
        }
        foreach (string name in entries.Keys)
        {
            if (!listed.ContainsKey(name))
            {
                throw LunaInputException.InFile(path, $"damaged model file: entry '{name}' is not listed in the manifest");
            }
        }
        return new ModelBundle(path, manifest, version, entries);
    }

    /// <summary>Collects entries and writes a model file.</summary>
    public sealed class Writer
    {
        private readonly List<(string Name, byte[] Data)> _entries = new();

        /// <summary>Adds an entry.</summary>
        /// <exception cref="ArgumentException">The name is empty, reserved or already used.</exception>
        public void Add(string name, byte[] content)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            ArgumentNullException.ThrowIfNull(content);
            if (name == ManifestEntry || _entries.Exists(e => e.Name == name))
            {
                throw new ArgumentException($"entry name '{name}' is reserved or already used", nameof(name));
            }
            _entries.Add((name, content));
        }

        /// <summary>Adds a float32 matrix as an <c>.npy</c> entry.</summary>
        public void AddMatrix(string name, FeatureMatrix matrix)
        {
            using var stream = new MemoryStream();
            Npy.WriteMatrix(stream, matrix);
            Add(name, stream.ToArray());
        }

        /// <summary>Adds an integer vector as an <c>.npy</c> entry.</summary>
        public void AddLabels(string name, ReadOnlySpan<int> labels)
        {
            using var stream = new MemoryStream();
            Npy.WriteLabels(stream, labels);
            Add(name, stream.ToArray());
        }

        /// <summary>
        /// Writes the file atomically: <paramref name="manifest"/> gets the fields <c>format</c>, <c>formatVersion</c>
        /// (first) and <c>entries</c> (size and SHA-256 of every entry).
        /// </summary>
        public void Write(string path, JsonObject manifest)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(manifest);
            var full = new JsonObject
            {
                ["format"] = FormatName,
                ["formatVersion"] = CurrentFormatVersion,
            };
            foreach ((string key, JsonNode? value) in manifest)
            {
                if (key is "format" or "formatVersion" or "entries")
                {
                    continue;
                }
                full[key] = value?.DeepClone();
            }
            var listed = new JsonObject();
            foreach ((string name, byte[] data) in _entries)
            {
                listed[name] = new JsonObject { ["bytes"] = data.Length, ["sha256"] = Sha256(data) };
            }
            full["entries"] = listed;
            byte[] manifestBytes = Encoding.UTF8.GetBytes(full.ToJsonString(s_json) + "\n");
            AtomicFile.Write(path, stream =>
            {
                using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
                WriteEntry(archive, ManifestEntry, manifestBytes);
                foreach ((string name, byte[] data) in _entries)
                {
                    WriteEntry(archive, name, data);
                }
            });
        }

        private static void WriteEntry(ZipArchive archive, string name, byte[] data)
        {
            ZipArchiveEntry entry = archive.CreateEntry(name, CompressionLevel.Fastest);
            entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using Stream stream = entry.Open();
            stream.Write(data);
        }
    }

    /// <summary>A manifest string field, or a message naming the field when it is missing.</summary>
    /// <exception cref="LunaInputException">The field is absent or not a string.</exception>
    public string RequireString(JsonNode? node, string field)
    {
        if (node?[field] is JsonValue value && value.TryGetValue(out string? text))
        {
            return text;
        }
        throw LunaInputException.InFile(Path, $"damaged model file: manifest field '{field}' is missing or not a string");
    }
}
