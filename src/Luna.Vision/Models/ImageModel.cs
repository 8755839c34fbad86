using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Luna.Core;
using Luna.Core.Bundles;
using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core.Metrics;
using Luna.Core.Prediction;
using Luna.Training;
using Luna.Vision.Backbones;
using Luna.Vision.Heads;
using Luna.Vision.Images;
using Luna.Vision.Sources;

namespace Luna.Vision.Models;

/// <summary>Features and logits of image files under a model, for the files that could be decoded.</summary>
/// <param name="Features">n_kept × D.</param>
/// <param name="Logits">n_kept × K.</param>
/// <param name="Kept">Index of each row's file in the list asked for.</param>
/// <param name="Skipped">Files left out under <see cref="BadImagePolicy.Skip"/>.</param>
/// <param name="Extracted">Images run through the backbone.</param>
/// <param name="FromCache">Images whose backbone features came from the cache (ResNet-18 only).</param>
public sealed record ImageFeatures(FeatureMatrix Features, FeatureMatrix Logits, int[] Kept, IReadOnlyList<SkippedImage> Skipped, int Extracted, int FromCache);

/// <summary>
/// A model for images: a backbone (the small ResNet trained on the images, or the frozen ImageNet ResNet-18 with a
/// trained head), the class names, the reference features LUNA needs and the decision rule chosen on validation.
/// Built by <see cref="Fit"/>, saved as one <c>.luna</c> file by <see cref="Save"/>, read back by <see cref="Load"/>.
/// Holds native resources: dispose it.
/// </summary>
/// <remarks>
/// Entries of the model file (see <see cref="ModelBundle"/> for the container):
/// <code>
/// reference/train.{features,labels,logits}.npy        the training features LUNA is fitted on, n × D, n, n × K
/// reference/validation.{features,labels,logits}.npy   the known-only validation split the threshold was chosen on
/// centers.npy                                         the class centers c_j, K × D (zeros for losses without centers)
/// head/*.npy                                          resnet18-imagenet: mu, sigma, W_p, b_p, W, b (see <see cref="LinearHead"/>)
/// backbone/small-resnet.ckpt                          small-resnet: the trained network (Luna.Training checkpoint)
/// </code>
/// The manifest holds the backbone (id, checksums of its ONNX files or the checkpoint entry, image input), class names,
/// training and validation counts, the training options and history, LUNA's decision rule (threshold, predictor,
/// validation factors for the percentile) and where the data came from.
/// </remarks>
public sealed class ImageModel : IDisposable
{
    private const string SmallResNetEntry = "backbone/small-resnet.ckpt";
    private const string HeadPrefix = "head/";

    private readonly TrainedModel? _network;
    private readonly ImageInput? _input;
    private readonly ResNet18Backbone? _resnet;
    private readonly LinearHead? _head;
    private FeatureCache? _cache;

    private ImageModel(
        BackboneKind backbone,
        IReadOnlyList<string> classNames,
        FeatureSplit train,
        FeatureSplit validation,
        FeatureMatrix centers,
        OpenSetPredictor predictor,
        JsonObject info,
        TrainedModel? network,
        ImageInput? input,
        ResNet18Backbone? resnet,
        LinearHead? head,
        FeatureCache? cache)
    {
        Backbone = backbone;
        ClassNames = classNames;
        Train = train;
        Validation = validation;
        Centers = centers;
        Predictor = predictor;
        Info = info;
        _network = network;
        _input = input;
        _resnet = resnet;
        _head = head;
        _cache = cache;
    }

    /// <summary>The backbone kind.</summary>
    public BackboneKind Backbone { get; }

    /// <summary>The backbone id as stored in the model file.</summary>
    public string BackboneId => ImageTrainingOptions.BackboneName(Backbone);

    /// <summary>Name of each known class, K entries.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Reference (training) features, labels and logits.</summary>
    public FeatureSplit Train { get; }

    /// <summary>The known-only validation features, labels and logits.</summary>
    public FeatureSplit Validation { get; }

    /// <summary>Class centers, K × D.</summary>
    public FeatureMatrix Centers { get; }

    /// <summary>LUNA with the decision rule.</summary>
    public OpenSetPredictor Predictor { get; }

    /// <summary>The manifest fields that describe the model (backbone, counts, training, data, warnings), without entries.</summary>
    public JsonObject Info { get; }

    /// <summary>Training images per class.</summary>
    public int[] TrainCounts
    {
        get
        {
            var counts = new int[ClassNames.Count];
            foreach (int label in Train.Labels)
            {
                counts[label]++;
            }
            return counts;
        }
    }

    /// <summary>The feature cache used by <see cref="Extract"/> (ResNet-18 only); null = none.</summary>
    public FeatureCache? Cache
    {
        get => _cache;
        set => _cache = value;
    }

    /// <summary>
    /// Builds a model: holds out validation images when none are given, extracts (or trains) features, trains the head,
    /// fits LUNA on the training features and chooses the threshold and predictor on validation.
    /// </summary>
    /// <param name="train">Training images; entries labelled -1 (unknown-class folders) are left out.</param>
    /// <param name="validation">Known-only validation images with the same class names, or null to hold out <see cref="ValidationHoldout"/>'s sample.</param>
    /// <param name="options">Backbone, training and decision settings.</param>
    /// <param name="progress">Progress sink, or null.</param>
    /// <param name="cancellationToken">Stops the work between batches.</param>
    /// <exception cref="LunaInputException">Bad images, too few images, bad options.</exception>
    public static ImageModel Fit(ImageCollection train, ImageCollection? validation, ImageTrainingOptions options, PipelineProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // A device that is not there (--device cuda on a CPU machine) is bad input before any image is read.
        TorchSetup.SelectDevice(options.Training.Device);
        progress ??= PipelineProgress.Silent;
        IReadOnlyList<string> classNames = train.ClassNames;
        int k = classNames.Count;
        var warnings = new List<string>();
        ImageEntry[] known = train.Entries.Where(e => e.Label >= 0).ToArray();
        int leftOut = train.Entries.Count - known.Length;

        ImageEntry[] trainEntries;
        ImageEntry[] validationEntries;
        string validationSource;
        if (validation is null)
        {
            // The hold-out is drawn after decoding, from the images that could be read, so that a skipped file
            // (--on-bad-image skip) takes no validation place and the split is the one the readable images alone give.
            trainEntries = known;
            validationEntries = [];
            validationSource = $"held out of the training images: min({options.ValidationPerClass}, floor(n_c / {ValidationHoldout.MaxFractionDenominator})) per class (1 per class of 3 or more when that gives none), seed {options.Training.Seed}";
            if (ValidationHoldout.Split(Array.ConvertAll(known, e => e.Label), k, options.Training.Seed, options.ValidationPerClass).Validation.Length == 0)
            {
                // Fewer readable images cannot give more: say so before extracting anything.
                throw NoHoldout();
            }
        }
        else
        {
            if (!validation.ClassNames.SequenceEqual(classNames))
            {
                throw new LunaInputException($"{validation.Description}: class names differ from the training data's");
            }
            if (validation.Entries.FirstOrDefault(e => e.Label < 0) is { } unknown)
            {
                throw LunaInputException.InFile(unknown.Path, $"is in the validation split but its class '{unknown.SourceClass}' is not a training class; validation images must be of known classes");
            }
            trainEntries = known;
            validationEntries = validation.Entries.ToArray();
            validationSource = validation.Description;
        }

        string[] paths = trainEntries.Concat(validationEntries).Select(e => e.Path).ToArray();
        int[] labels = trainEntries.Concat(validationEntries).Select(e => e.Label).ToArray();

        // Rows of the readable images (kept: their indices into paths) for training and validation, and their labels.
        (int[] TrainRows, int[] ValidationRows, int[] KeptLabels) SplitKept(int[] kept)
        {
            if (validation is not null)
            {
                return SplitRows(kept, labels, trainEntries.Length);
            }
            int[] keptLabels = Array.ConvertAll(kept, i => labels[i]);
            (int[] t, int[] v) = ValidationHoldout.Split(keptLabels, k, options.Training.Seed, options.ValidationPerClass);
            if (v.Length == 0)
            {
                throw NoHoldout();
            }
            return (t, v, keptLabels);
        }

        LunaInputException NoHoldout() => new($"{train.Description}: no validation images could be held out (every class has fewer than {ValidationHoldout.MinimumForFallback} readable images); give a validation split with --validation");
        TrainedModel? network = null;
        ResNet18Backbone? resnet = null;
        try
        {
            FeatureSplit trainSplit;
            FeatureSplit validationSplit;
            FeatureMatrix centers;
            JsonObject backboneInfo;
            JsonObject trainingInfo;
            IReadOnlyList<SkippedImage> skipped;
            ImageInput? input = null;
            LinearHead? head = null;
            FeatureCache? cache = null;
            if (options.Backbone == BackboneKind.ResNet18ImageNet)
            {
                resnet = ResNet18Backbone.Open(options.ResNet18Directory);
                cache = options.UseCache ? new FeatureCache(options.CacheDirectory ?? FeatureCache.DefaultDirectory, resnet.CacheKey, ResNet18Backbone.FeatureDim) : null;
                Action done = progress.Step($"{ResNet18Backbone.Id}: features of {paths.Length} images");
                FrozenFeatures frozen = ImageFeatureExtraction.ResNet18(resnet, cache, paths, options.OnBadImage, null, cancellationToken);
                done();
                progress.Message($"{ResNet18Backbone.Id}: {frozen.Extracted} images extracted, {frozen.FromCache} from the feature cache{(cache is null ? "" : $" ({cache.Folder})")}");
                skipped = frozen.Skipped;
                (int[] trainRows, int[] validationRows, int[] keptLabels) = SplitKept(frozen.Kept);
                CheckClasses(keptLabels, trainRows, classNames, train.Description);
                FeatureMatrix trainInputs = frozen.Features.SelectRows(trainRows);
                int[] trainLabels = trainRows.Select(r => keptLabels[r]).ToArray();
                TrainedHead trained = HeadTrainer.Fit(trainInputs, trainLabels, options.Training, options.Projection, progress.Training($"head ({TrainingName(options.Training)})"), cancellationToken);
                head = trained.Head;
                (FeatureMatrix f, FeatureMatrix z) = head.Apply(frozen.Features);
                trainSplit = new FeatureSplit(f.SelectRows(trainRows), z.SelectRows(trainRows), trainLabels);
                validationSplit = new FeatureSplit(f.SelectRows(validationRows), z.SelectRows(validationRows), validationRows.Select(r => keptLabels[r]).ToArray());
                centers = trained.Centers;
                backboneInfo = ResNetInfo(resnet);
                trainingInfo = TrainingInfo(options, trained.History, trained.ClassWeights);
            }
            else
            {
                int channels = options.Channels ?? (ImageFeatureExtraction.AllGrey(trainEntries.Select(e => e.Path).ToArray(), cancellationToken) ? 1 : 3);
                input = new ImageInput(options.ImageSize, channels, 1f / 255f);
                Action done = progress.Step($"decode {paths.Length} images at {input.Size}×{input.Size}×{channels}");
                DecodedImages decoded = ImageFeatureExtraction.Decode(paths, labels, input, options.OnBadImage, null, cancellationToken);
                done();
                skipped = decoded.Skipped;
                (int[] trainRows, int[] validationRows, int[] keptLabels) = SplitKept(decoded.Kept);
                CheckClasses(keptLabels, trainRows, classNames, train.Description);
                Luna.Training.Data.ImageData trainImages = Subset(decoded.Images, trainRows, keptLabels);
                Luna.Training.Data.ImageData validationImages = Subset(decoded.Images, validationRows, keptLabels);
                TorchSetup.EnsureInitialized();
                network = new FeatureTrainer(options.Training).Fit(trainImages, progress: progress.Training($"{ImageTrainingOptions.SmallResNetId} ({TrainingName(options.Training)})"), cancellationToken: cancellationToken);
                Action extracting = progress.Step("extract features");
                var trainFeatures = network.Extract(trainImages, cancellationToken: cancellationToken);
                var validationFeatures = network.Extract(validationImages, cancellationToken: cancellationToken);
                extracting();
                trainSplit = new FeatureSplit(trainFeatures.Features, trainFeatures.Logits, trainImages.Labels!);
                validationSplit = new FeatureSplit(validationFeatures.Features, validationFeatures.Logits, validationImages.Labels!);
                centers = network.Centers;
                backboneInfo = new JsonObject { ["id"] = ImageTrainingOptions.SmallResNetId, ["entry"] = SmallResNetEntry };
                trainingInfo = TrainingInfo(options, network.History, network.ClassWeights.ToArray());
            }
            if (input is not null)
            {
                backboneInfo["input"] = InputInfo(input);
            }
            foreach (SkippedImage s in skipped)
            {
                progress.Message($"luna: warning: skipped {s.Reason}");
            }
            if (validationSplit.Labels.Length == 0)
            {
                throw new LunaInputException($"{validationSource}: no validation image is left; the threshold is chosen on known validation images");
            }
            Action fitting = progress.Step("fit LUNA and choose the threshold on validation");
            OpenSetPredictor predictor = OpenSetPredictor.Fit(trainSplit, validationSplit, classNames, options.K, options.AcceptFraction, cancellationToken);
            fitting();
            warnings.AddRange(predictor.Warnings);
            var info = new JsonObject
            {
                ["created"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                ["luna"] = LunaVersion,
                ["backbone"] = backboneInfo,
                ["classNames"] = ToNode(classNames),
                ["trainCounts"] = ToNode(Counts(trainSplit.Labels, k)),
                ["validationCounts"] = ToNode(Counts(validationSplit.Labels, k)),
                ["featureDim"] = trainSplit.Features.Columns,
                ["training"] = trainingInfo,
                ["decision"] = predictor.Rule.ToJson(),
                ["data"] = new JsonObject
                {
                    ["train"] = train.Description,
                    ["validation"] = validationSource,
                    ["unknownImagesLeftOut"] = leftOut,
                    ["skippedImages"] = ToNode(skipped.Select(s => s.Path).ToArray()),
                },
                ["warnings"] = ToNode(warnings),
            };
            var model = new ImageModel(options.Backbone, classNames.ToArray(), trainSplit, validationSplit, centers, predictor, info, network, input, resnet, head, cache);
            network = null;
            resnet = null;
            return model;
        }
        finally
        {
            network?.Dispose();
            resnet?.Dispose();
        }
    }

    /// <summary>Writes the model file atomically (see the remarks of <see cref="ImageModel"/>).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var writer = new ModelBundle.Writer();
        writer.AddMatrix("reference/train.features.npy", Train.Features);
        writer.AddLabels("reference/train.labels.npy", Train.Labels);
        writer.AddMatrix("reference/train.logits.npy", Train.Logits!);
        writer.AddMatrix("reference/validation.features.npy", Validation.Features);
        writer.AddLabels("reference/validation.labels.npy", Validation.Labels);
        writer.AddMatrix("reference/validation.logits.npy", Validation.Logits!);
        writer.AddMatrix("centers.npy", Centers);
        var manifest = (JsonObject)Info.DeepClone();
        if (_head is not null)
        {
            manifest["head"] = _head.WriteTo(writer, HeadPrefix);
        }
        if (_network is not null)
        {
            string temp = Path.Combine(Path.GetTempPath(), $"luna-{Guid.NewGuid():N}.ckpt");
            try
            {
                _network.Save(temp);
                writer.Add(SmallResNetEntry, File.ReadAllBytes(temp));
            }
            finally
            {
                File.Delete(temp);
            }
        }
        writer.Write(path, manifest);
    }

    /// <summary>Reads a model file, checks it, and opens its backbone.</summary>
    /// <param name="path">The <c>.luna</c> file.</param>
    /// <param name="resnet18Directory">Folder with the ResNet-18 ONNX files, or null for the default.</param>
    /// <param name="cacheDirectory">The feature cache root, or null for the default; use <see cref="Cache"/> = null to disable.</param>
    /// <exception cref="LunaInputException">The file is missing, damaged, foreign or too new, or its backbone is missing or differs.</exception>
    public static ImageModel Load(string path, string? resnet18Directory = null, string? cacheDirectory = null)
    {
        ModelBundle bundle = ModelBundle.Read(path);
        JsonObject m = bundle.Manifest;
        string id = bundle.RequireString(m["backbone"], "id");
        string[] classNames = ReadStrings(bundle, m["classNames"], "classNames");
        FeatureSplit train = ReadSplit(bundle, "train", classNames.Length);
        FeatureSplit validation = ReadSplit(bundle, "validation", classNames.Length);
        FeatureMatrix centers = bundle.Matrix("centers.npy");
        OpenSetDecisionRule rule = OpenSetDecisionRule.FromJson(m["decision"], $"{path}: manifest field 'decision'");
        OpenSetPredictor predictor = OpenSetPredictor.Restore(train, classNames, rule);
        var info = new JsonObject();
        foreach ((string key, JsonNode? value) in m)
        {
            if (key is not ("entries" or "head" or "format" or "formatVersion"))
            {
                info[key] = value?.DeepClone();
            }
        }
        switch (id)
        {
            case ResNet18Backbone.Id:
            {
                bool projection = m["head"]?["projection"]?.GetValue<bool>() ?? throw LunaInputException.InFile(path, "damaged model file: manifest field 'head' is missing");
                LinearHead head = LinearHead.ReadFrom(bundle, HeadPrefix, projection);
                if (head.FeatureDim != train.Features.Columns || head.ClassCount != classNames.Length || head.InputDim != ResNet18Backbone.FeatureDim)
                {
                    throw LunaInputException.InFile(path, $"damaged model file: the head ({head.InputDim} → {head.FeatureDim} → {head.ClassCount}) does not fit the reference features ({train.Features.Columns}) and classes ({classNames.Length})");
                }
                ResNet18Backbone resnet = ResNet18Backbone.Open(resnet18Directory);
                try
                {
                    string expected = bundle.RequireString(m["backbone"]?["files"], ResNet18Backbone.ModelFile);
                    if (!string.Equals(expected, resnet.ModelSha256, StringComparison.OrdinalIgnoreCase))
                    {
                        throw LunaInputException.InFile(path, $"was trained on a {ResNet18Backbone.Id} whose {ResNet18Backbone.ModelFile} has SHA-256 {expected[..12]}…, but {Path.Combine(resnet.Directory, ResNet18Backbone.ModelFile)} has {resnet.ModelSha256[..12]}…; its features would not match");
                    }
                    var cache = new FeatureCache(cacheDirectory ?? FeatureCache.DefaultDirectory, resnet.CacheKey, ResNet18Backbone.FeatureDim);
                    return new ImageModel(BackboneKind.ResNet18ImageNet, classNames, train, validation, centers, predictor, info, null, null, resnet, head, cache);
                }
                catch
                {
                    resnet.Dispose();
                    throw;
                }
            }
            case ImageTrainingOptions.SmallResNetId:
            {
                ImageInput input = ReadInput(bundle, m["backbone"]?["input"]);
                string temp = Path.Combine(Path.GetTempPath(), $"luna-{Guid.NewGuid():N}.ckpt");
                TrainedModel network;
                try
                {
                    File.WriteAllBytes(temp, bundle.Entry(SmallResNetEntry));
                    TorchSetup.EnsureInitialized();
                    try
                    {
                        network = TrainedModel.Load(temp);
                    }
                    catch (LunaInputException e)
                    {
                        throw LunaInputException.InFile(path, $"entry '{SmallResNetEntry}': {e.Message.Replace(temp + ": ", string.Empty, StringComparison.Ordinal)}");
                    }
                }
                finally
                {
                    File.Delete(temp);
                }
                if (network.ClassCount != classNames.Length || network.Channels != input.Channels || network.Height != input.Size)
                {
                    network.Dispose();
                    throw LunaInputException.InFile(path, "damaged model file: the network does not fit the manifest's classes or image input");
                }
                return new ImageModel(BackboneKind.SmallResNet, classNames, train, validation, centers, predictor, info, network, input, null, null, null);
            }
            default:
                throw LunaInputException.InFile(path, $"backbone '{id}' is not one this Luna knows ({ImageTrainingOptions.SmallResNetId}, {ResNet18Backbone.Id})");
        }
    }

    /// <summary>Features and logits of image files (in parallel; ResNet-18 features through the cache).</summary>
    /// <exception cref="LunaInputException">A file cannot be read or decoded under <see cref="BadImagePolicy.Fail"/>.</exception>
    public ImageFeatures Extract(IReadOnlyList<string> paths, BadImagePolicy policy, Action? imageDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (_resnet is not null)
        {
            FrozenFeatures frozen = ImageFeatureExtraction.ResNet18(_resnet, _cache, paths, policy, imageDone, cancellationToken);
            (FeatureMatrix f, FeatureMatrix z) = _head!.Apply(frozen.Features);
            return new ImageFeatures(f, z, frozen.Kept, frozen.Skipped, frozen.Extracted, frozen.FromCache);
        }
        DecodedImages decoded = ImageFeatureExtraction.Decode(paths, null, _input!, policy, imageDone, cancellationToken);
        if (decoded.Kept.Length == 0)
        {
            return new ImageFeatures(new FeatureMatrix(0, Train.Features.Columns), new FeatureMatrix(0, ClassNames.Count), [], decoded.Skipped, 0, 0);
        }
        var extracted = _network!.Extract(decoded.Images, cancellationToken: cancellationToken);
        return new ImageFeatures(extracted.Features, extracted.Logits, decoded.Kept, decoded.Skipped, decoded.Kept.Length, 0);
    }

    /// <summary>The answers for image files, in the order of <paramref name="paths"/> (skipped files have none).</summary>
    public (string Path, OpenSetPrediction Prediction)[] Predict(IReadOnlyList<string> paths, BadImagePolicy policy, List<SkippedImage>? skipped = null, CancellationToken cancellationToken = default)
    {
        ImageFeatures features = Extract(paths, policy, null, cancellationToken);
        skipped?.AddRange(features.Skipped);
        OpenSetPrediction[] predictions = Predictor.Predict(features.Features, features.Logits, cancellationToken);
        var result = new (string, OpenSetPrediction)[predictions.Length];
        for (int r = 0; r < predictions.Length; r++)
        {
            result[r] = (paths[features.Kept[r]], predictions[r]);
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _network?.Dispose();
        _resnet?.Dispose();
    }

    private static string LunaVersion => typeof(ImageModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static string TrainingName(TrainingOptions options) => options.Loss switch
    {
        Luna.Training.Losses.LossKind.Ce => "ce",
        Luna.Training.Losses.LossKind.Center => "center",
        Luna.Training.Losses.LossKind.WCenter => "wcenter",
        Luna.Training.Losses.LossKind.Focal => "focal",
        _ => "balanced-softmax",
    } + $", {options.Epochs} epochs";

    private static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, MetricsJson.Options);

    private static JsonObject ResNetInfo(ResNet18Backbone resnet) => new()
    {
        ["id"] = ResNet18Backbone.Id,
        ["package"] = "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0",
        ["files"] = new JsonObject { [ResNet18Backbone.ModelFile] = resnet.ModelSha256, [ResNet18Backbone.PreprocessFile] = resnet.PreprocessSha256 },
        ["renderingVersion"] = ResNet18Backbone.RenderingVersion,
        ["input"] = InputInfo(ResNet18Backbone.Input),
    };

    private static JsonObject InputInfo(ImageInput input) => new()
    {
        ["size"] = input.Size,
        ["channels"] = input.Channels,
        ["scale"] = input.Scale,
        ["resize"] = "iso-crop",
    };

    private static ImageInput ReadInput(ModelBundle bundle, JsonNode? node)
    {
        try
        {
            int size = node?["size"]?.GetValue<int>() ?? 0;
            int channels = node?["channels"]?.GetValue<int>() ?? 0;
            float scale = node?["scale"]?.GetValue<float>() ?? 0;
            if (size < 1 || channels is not (1 or 3) || !(scale > 0))
            {
                throw LunaInputException.InFile(bundle.Path, "damaged model file: manifest field 'backbone.input' is missing or out of range");
            }
            return new ImageInput(size, channels, scale);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw LunaInputException.InFile(bundle.Path, "damaged model file: manifest field 'backbone.input' is malformed");
        }
    }

    private static JsonObject TrainingInfo(ImageTrainingOptions options, IReadOnlyList<EpochSummary> history, IReadOnlyList<double> classWeights) => new()
    {
        ["backbone"] = ImageTrainingOptions.BackboneName(options.Backbone),
        ["projection"] = options.Backbone == BackboneKind.ResNet18ImageNet ? options.Projection : null,
        ["options"] = ToNode(options.Training),
        ["k"] = options.K,
        ["acceptFraction"] = options.AcceptFraction,
        ["classWeights"] = ToNode(classWeights),
        ["epochs"] = ToNode(history),
    };

    private static string[] ReadStrings(ModelBundle bundle, JsonNode? node, string field)
    {
        try
        {
            string[]? values = node?.Deserialize<string[]>();
            if (values is { Length: >= 2 })
            {
                return values;
            }
        }
        catch (JsonException)
        {
        }
        throw LunaInputException.InFile(bundle.Path, $"damaged model file: manifest field '{field}' is missing or names fewer than 2 classes");
    }

    private static FeatureSplit ReadSplit(ModelBundle bundle, string split, int classes)
    {
        FeatureMatrix features = bundle.Matrix($"reference/{split}.features.npy");
        int[] labels = bundle.Labels($"reference/{split}.labels.npy");
        FeatureMatrix logits = bundle.Matrix($"reference/{split}.logits.npy");
        if (labels.Length != features.Rows || logits.Rows != features.Rows || logits.Columns != classes)
        {
            throw LunaInputException.InFile(bundle.Path, $"damaged model file: the {split} reference features, labels and logits do not fit together");
        }
        return new FeatureSplit(features, logits, labels);
    }

    private static int[] Counts(int[] labels, int k)
    {
        var counts = new int[k];
        foreach (int label in labels)
        {
            counts[label]++;
        }
        return counts;
    }

    private static (int[] TrainRows, int[] ValidationRows, int[] KeptLabels) SplitRows(int[] kept, int[] labels, int trainCount)
    {
        var trainRows = new List<int>();
        var validationRows = new List<int>();
        var keptLabels = new int[kept.Length];
        for (int r = 0; r < kept.Length; r++)
        {
            keptLabels[r] = labels[kept[r]];
            (kept[r] < trainCount ? trainRows : validationRows).Add(r);
        }
        return (trainRows.ToArray(), validationRows.ToArray(), keptLabels);
    }

    private static void CheckClasses(int[] keptLabels, int[] trainRows, IReadOnlyList<string> classNames, string source)
    {
        var counts = new int[classNames.Count];
        foreach (int r in trainRows)
        {
            counts[keptLabels[r]]++;
        }
        for (int j = 0; j < counts.Length; j++)
        {
            if (counts[j] == 0)
            {
                throw new LunaInputException($"{source}: class '{classNames[j]}' has no usable training image");
            }
        }
    }

    private static Luna.Training.Data.ImageData Subset(Luna.Training.Data.ImageData images, int[] rows, int[] labels)
    {
        int size = images.ImageSize;
        var pixels = new float[(long)rows.Length * size];
        var subsetLabels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            images.Pixels.AsSpan(rows[i] * size, size).CopyTo(pixels.AsSpan(i * size, size));
            subsetLabels[i] = labels[rows[i]];
        }
        return new Luna.Training.Data.ImageData(pixels, rows.Length, images.Channels, images.Height, images.Width, subsetLabels);
    }
}
