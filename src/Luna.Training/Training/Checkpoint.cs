using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Luna.Core;
using Luna.Core.IO;
using Luna.Training.Data;
using Luna.Training.Models;
using TorchSharp;

namespace Luna.Training;

/// <summary>
/// The checkpoint file: "LUNACKPT", int32 format version 1, the metadata as a length-prefixed UTF-8 JSON string
/// (options, class counts and weights, normalisation, image shape, history), int32 K·D then K·D float32 centers,
/// then the network's parameters and buffers in TorchSharp's <c>Module.save</c> format. Little-endian throughout.
/// </summary>
internal static class Checkpoint
{
    private const string Magic = "LUNACKPT";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(TrainedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        var header = new Header
        {
            Options = model.Options,
            Channels = model.Channels,
            Height = model.Height,
            Width = model.Width,
            FeatureDim = model.FeatureDim,
            ClassCounts = model.ClassCounts.ToArray(),
            ClassWeights = model.ClassWeights.ToArray(),
            NormalizationMean = model.Normalization.Mean,
            NormalizationStd = model.Normalization.Std,
            History = model.History.ToArray(),
        };
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(header, s_json));
            ReadOnlySpan<float> centers = model.CenterValues;
            writer.Write(centers.Length);
            foreach (float value in centers)
            {
                writer.Write(value);
            }
            model.Network.save(writer);
            writer.Flush();
        });
    }

    public static TrainedModel Load(string path, DeviceKind deviceKind)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw LunaInputException.InFile(path, "checkpoint file not found");
        }
        torch.Device device = TorchSetup.SelectDevice(deviceKind);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: false);
        Header header;
        float[] centers;
        try
        {
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (Encoding.ASCII.GetString(magic) != Magic)
            {
                throw LunaInputException.InFile(path, "not a Luna checkpoint (the file does not start with LUNACKPT)");
            }
            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw LunaInputException.InFile(path, $"checkpoint format version {version} is not supported (this Luna reads version {FormatVersion})");
            }
            header = JsonSerializer.Deserialize<Header>(reader.ReadString(), s_json)
                ?? throw LunaInputException.InFile(path, "checkpoint metadata is empty");
            header.Check(path);
            int centerCount = reader.ReadInt32();
            if (centerCount != header.ClassCounts.Length * header.FeatureDim)
            {
                throw LunaInputException.InFile(path, $"checkpoint has {centerCount} center values, expected K × D = {header.ClassCounts.Length} × {header.FeatureDim}");
            }
            centers = new float[centerCount];
            for (int i = 0; i < centers.Length; i++)
            {
                centers[i] = reader.ReadSingle();
            }
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException or FormatException)
        {
            throw LunaInputException.InFile(path, $"damaged checkpoint ({e.Message})");
        }

        var network = new SmallResNet(header.Channels, header.FeatureDim, header.ClassCounts.Length);
        try
        {
            try
            {
                network.load(reader, strict: true);
            }
            catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidOperationException or IOException)
            {
                throw LunaInputException.InFile(path, $"damaged checkpoint weights ({e.Message})");
            }
            network.to(device);
            var model = new TrainedModel(
                network, device, header.Options!, header.ClassCounts, header.ClassWeights,
                new Normalization(header.NormalizationMean, header.NormalizationStd), centers, header.Height, header.Width, header.History);
            network = null!;
            return model;
        }
        finally
        {
            network?.Dispose();
        }
    }

    private sealed class Header
    {
        public TrainingOptions? Options { get; set; }

        public int Channels { get; set; }

        public int Height { get; set; }

        public int Width { get; set; }

        public int FeatureDim { get; set; }

        public int[] ClassCounts { get; set; } = [];

        public double[] ClassWeights { get; set; } = [];

        public float[] NormalizationMean { get; set; } = [];

        public float[] NormalizationStd { get; set; } = [];

        public EpochSummary[] History { get; set; } = [];

        public void Check(string path)
        {
            if (Options is null || Channels < 1 || Height < 1 || Width < 1 || FeatureDim < 1 || ClassCounts.Length < 2 || ClassWeights.Length != ClassCounts.Length)
            {
                throw LunaInputException.InFile(path, "checkpoint metadata is incomplete (options, image shape, feature dimension or class counts missing)");
            }
            try
            {
                Options.Validate();
                new Normalization(NormalizationMean, NormalizationStd).Validate(Channels);
            }
            catch (LunaInputException e)
            {
                throw LunaInputException.InFile(path, "checkpoint metadata: " + e.Message);
            }
        }
    }
}
