using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Luna.Core.IO;
using Luna.Core.Metrics;

namespace Luna.Cli.Pipeline;

/// <summary>The <c>manifest.json</c> written beside every run's outputs: what ran, with which settings, on what.</summary>
internal static class RunManifest
{
    /// <summary>Versions of Luna, .NET, TorchSharp and the machine, for every manifest.</summary>
    public static JsonObject Environment()
    {
        return new JsonObject
        {
            ["luna"] = typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["torchSharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
            ["os"] = RuntimeInformation.OSDescription,
            ["processorCount"] = System.Environment.ProcessorCount,
        };
    }

    /// <summary>Serialises any value with the report's JSON options (camelCase, enums as strings, nulls omitted).</summary>
    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, MetricsJson.Options);

    /// <summary>Writes the manifest atomically.</summary>
    public static void Write(string path, JsonObject manifest)
        => AtomicFile.WriteAllText(path, manifest.ToJsonString(MetricsJson.Options) + "\n");
}
