using System.Text.Json.Serialization;

namespace Luna.Core.Data;

/// <summary>Source-generated JSON metadata for the data manifests (works when reflection-based serialisation is off, e.g. trimmed builds).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FmnistOltManifest))]
internal sealed partial class DataJsonContext : JsonSerializerContext
{
}
