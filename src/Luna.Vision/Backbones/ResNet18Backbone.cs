using Luna.Core;
using Luna.Core.Bundles;
using Luna.Vision.Images;
using Microsoft.ML.OnnxRuntime;

namespace Luna.Vision.Backbones;

/// <summary>
/// The pretrained ImageNet ResNet-18 that ships as ONNX in the NuGet package
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.24.0 (MIT), run frozen with ONNX Runtime on the CPU: 512-d
/// features per image. Backbone id <c>resnet18-imagenet</c>.
/// </summary>
/// <remarks>
/// <para>The package holds two graphs, used in sequence exactly as ML.NET's <c>DnnImageFeaturizer</c> uses them:</para>
/// <code>
/// ResNetPreprocess.onnx  OriginalInput [1, 3, 224, 224]  R, G, B planes, values 0..255
///                        → PreprocessedInput [1, 3, 224, 224]: channels reversed to B, G, R, minus a per-pixel mean image
///                          (channel means about 103, 116, 123)
/// ResNet18.onnx          Input247 [1, 3, 224, 224] → Pooling395_Output_0 [1, 512, 1, 1]: the global average pool
///                        (a CNTK export; batch size fixed at 1)
/// </code>
/// <para>Images are rendered by <see cref="ImageDecoder"/> as <see cref="Input"/>: iso-crop to 224×224 (ML.NET's
/// <c>ResizeImages</c> default), colour (grey images repeated on the three channels), 0..255.</para>
/// <para>Both graphs are thread-safe to run concurrently: callers run one image per core, each run on one intra-op
/// thread, which uses both cores of a 2-core machine without oversubscription.</para>
/// <para>The files are found in <c>$LUNA_RESNET18_DIR</c>, else <c>models/resnet18-imagenet/</c> beside the Luna
/// assemblies (the build copies them there from the package).</para>
/// </remarks>
public sealed class ResNet18Backbone : IDisposable
{
    /// <summary>The backbone id stored in model files.</summary>
    public const string Id = "resnet18-imagenet";

    /// <summary>The network file.</summary>
    public const string ModelFile = "ResNet18.onnx";

    /// <summary>The preprocessing graph file.</summary>
    public const string PreprocessFile = "ResNetPreprocess.onnx";

    /// <summary>Environment variable naming the folder with the two files.</summary>
    public const string DirectoryVariable = "LUNA_RESNET18_DIR";

    /// <summary>Feature dimension, 512.</summary>
    public const int FeatureDim = 512;

    /// <summary>Version of Luna's rendering of images for this backbone (part of the cache key: bump it when rendering changes).</summary>
    public const int RenderingVersion = 1;

    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _network;
    private readonly string _preprocessInput;
    private readonly string _preprocessOutput;
    private readonly string _networkInput;
    private readonly string _networkOutput;
    private readonly RunOptions _runOptions = new();

    private ResNet18Backbone(string directory, InferenceSession preprocess, InferenceSession network, string modelSha, string preprocessSha)
    {
        Directory = directory;
        _preprocess = preprocess;
        _network = network;
        ModelSha256 = modelSha;
        PreprocessSha256 = preprocessSha;
        _preprocessInput = preprocess.InputMetadata.Keys.Single();
        _preprocessOutput = preprocess.OutputMetadata.Keys.Single();
        _networkInput = network.InputMetadata.Keys.Single();
        _networkOutput = network.OutputMetadata.Keys.Single();
        int[] inputShape = network.InputMetadata[_networkInput].Dimensions;
        int[] outputShape = network.OutputMetadata[_networkOutput].Dimensions;
        if (!inputShape.SequenceEqual([1, 3, Input.Size, Input.Size]) || outputShape.Aggregate(1, (a, b) => a * b) != FeatureDim)
        {
            throw new LunaInputException($"{Path.Combine(directory, ModelFile)}: input [{string.Join(", ", inputShape)}] and output [{string.Join(", ", outputShape)}] are not the packaged ResNet-18's [1, 3, 224, 224] and [1, 512, 1, 1]");
        }
    }

    /// <summary>How images are rendered for this backbone: 224×224, 3 channels, 0..255.</summary>
    public static ImageInput Input { get; } = new(224, 3, 1f);

    /// <summary>The folder the files were loaded from.</summary>
    public string Directory { get; }

    /// <summary>SHA-256 of <see cref="ModelFile"/>.</summary>
    public string ModelSha256 { get; }

    /// <summary>SHA-256 of <see cref="PreprocessFile"/>.</summary>
    public string PreprocessSha256 { get; }

    /// <summary>The feature-cache key: id, the files' checksums (prefixes) and the rendering version.</summary>
    public string CacheKey => $"{Id}-{ModelSha256[..16]}-{PreprocessSha256[..8]}-r{RenderingVersion}";

    /// <summary>The default folder: <c>$LUNA_RESNET18_DIR</c>, else <c>models/resnet18-imagenet</c> beside this assembly.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? own = Environment.GetEnvironmentVariable(DirectoryVariable);
            return !string.IsNullOrWhiteSpace(own) ? own : Path.Combine(AppContext.BaseDirectory, "models", Id);
        }
    }

    /// <summary>Loads both graphs and checksums their files.</summary>
    /// <exception cref="LunaInputException">A file is missing or is not the expected graph.</exception>
    public static ResNet18Backbone Open(string? directory = null)
    {
        directory ??= DefaultDirectory;
        string model = Path.Combine(directory, ModelFile);
        string preprocess = Path.Combine(directory, PreprocessFile);
        foreach (string file in new[] { model, preprocess })
        {
            if (!File.Exists(file))
            {
                throw LunaInputException.InFile(file, $"not found: the {Id} backbone needs {ModelFile} and {PreprocessFile} from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (the build copies them beside luna.dll; ${DirectoryVariable} can name another folder)");
            }
        }
        string modelSha = ModelBundle.Sha256File(model);
        string preprocessSha = ModelBundle.Sha256File(preprocess);
        InferenceSession? pre = null;
        InferenceSession? net = null;
        try
        {
            using var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            pre = new InferenceSession(preprocess, options);
            net = new InferenceSession(model, options);
            var backbone = new ResNet18Backbone(Path.GetFullPath(directory), pre, net, modelSha, preprocessSha);
            pre = null;
            net = null;
            return backbone;
        }
        catch (OnnxRuntimeException e)
        {
            throw LunaInputException.InFile(model, $"cannot be loaded by ONNX Runtime ({e.Message})");
        }
        finally
        {
            pre?.Dispose();
            net?.Dispose();
        }
    }

    /// <summary>
    /// The 512 features of one rendered image (<see cref="Input"/>: 3 × 224 × 224 values, R, G, B planes, 0..255) into
    /// <paramref name="features"/>. Thread-safe.
    /// </summary>
    public void Extract(float[] input, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length != Input.Length)
        {
            throw new ArgumentException($"input holds {input.Length} values, expected {Input.Length}", nameof(input));
        }
        long[] shape = [1, 3, Input.Size, Input.Size];
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using IDisposableReadOnlyCollection<OrtValue> prepared = _preprocess.Run(_runOptions, [_preprocessInput], [value], [_preprocessOutput]);
        using IDisposableReadOnlyCollection<OrtValue> output = _network.Run(_runOptions, [_networkInput], [prepared[0]], [_networkOutput]);
        output[0].GetTensorDataAsSpan<float>()[..FeatureDim].CopyTo(features);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
        _runOptions.Dispose();
    }
}
