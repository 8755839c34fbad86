using Luna.Core;
using Luna.Core.Metrics;
using Luna.Core.Scoring;
using Luna.Training;
using Luna.Vision.Backbones;
using Luna.Vision.Images;
using Luna.Vision.Sources;

namespace Luna.Vision.Models;

/// <summary>The feature extractors a model can be built on (<c>--backbone</c>).</summary>
public enum BackboneKind
{
    /// <summary><c>small-resnet</c>: the small ResNet of Luna.Training, trained from scratch on the images.</summary>
    SmallResNet,

    /// <summary><c>resnet18-imagenet</c>: the pretrained ImageNet ResNet-18 (ONNX), frozen, with a trained head.</summary>
    ResNet18ImageNet,
}

/// <summary>Everything that decides how a model is built from images; defaults in <see cref="Defaults"/>.</summary>
public sealed record ImageTrainingOptions
{
    /// <summary>Default values (also the command-line defaults).</summary>
    public static class Defaults
    {
        /// <summary>The backbone for image folders and split files.</summary>
        public const BackboneKind Backbone = BackboneKind.ResNet18ImageNet;

        /// <summary>Side of the square input of the small ResNet.</summary>
        public const int ImageSize = 32;

        /// <summary>Whether the ResNet-18 head learns a projection (needed for the center losses to shape the features).</summary>
        public const bool Projection = true;

        /// <summary>Epochs of the ResNet-18 head (it trains on cached features, so epochs are cheap).</summary>
        public const int HeadEpochs = 60;
    }

    /// <summary>The backbone.</summary>
    public BackboneKind Backbone { get; init; } = Defaults.Backbone;

    /// <summary>Loss, epochs, optimizer, feature dimension (of the small ResNet, or of the head's projection), seed, ...</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Whether the ResNet-18 head projects to <see cref="TrainingOptions.FeatureDim"/> before its classifier.</summary>
    public bool Projection { get; init; } = Defaults.Projection;

    /// <summary>Side S of the small ResNet's square input.</summary>
    public int ImageSize { get; init; } = Defaults.ImageSize;

    /// <summary>Input channels of the small ResNet (1 or 3); null = 1 when every training image is greyscale, else 3.</summary>
    public int? Channels { get; init; }

    /// <summary>What to do with files that cannot be decoded.</summary>
    public BadImagePolicy OnBadImage { get; init; } = BadImagePolicy.Fail;

    /// <summary>The feature cache root (null = <see cref="FeatureCache.DefaultDirectory"/>).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>False to extract every image again and store nothing.</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Folder with the ResNet-18 ONNX files (null = <see cref="ResNet18Backbone.DefaultDirectory"/>).</summary>
    public string? ResNet18Directory { get; init; }

    /// <summary>LUNA's k.</summary>
    public int K { get; init; } = NoveltyScorerOptions.Defaults.K;

    /// <summary>Fraction of the known validation images the threshold accepts.</summary>
    public double AcceptFraction { get; init; } = Thresholds.DefaultAcceptFraction;

    /// <summary>Validation images held out per class when no validation split is given (see <see cref="ValidationHoldout"/>).</summary>
    public int ValidationPerClass { get; init; } = ValidationHoldout.PerClass;

    /// <summary>The command-line name of a backbone.</summary>
    public static string BackboneName(BackboneKind kind) => kind == BackboneKind.SmallResNet ? SmallResNetId : ResNet18Backbone.Id;

    /// <summary>The id of the small ResNet in model files.</summary>
    public const string SmallResNetId = "small-resnet";

    /// <summary>Parses <c>--backbone</c>.</summary>
    /// <exception cref="LunaInputException">Any other value.</exception>
    public static BackboneKind ParseBackbone(string value) => value?.Trim().ToLowerInvariant() switch
    {
        SmallResNetId => BackboneKind.SmallResNet,
        ResNet18Backbone.Id => BackboneKind.ResNet18ImageNet,
        _ => throw new LunaInputException($"--backbone: value '{value}' is not one of {SmallResNetId}, {ResNet18Backbone.Id}"),
    };

    /// <summary>Parses <c>--on-bad-image</c>.</summary>
    /// <exception cref="LunaInputException">Any other value.</exception>
    public static BadImagePolicy ParsePolicy(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "fail" => BadImagePolicy.Fail,
        "skip" => BadImagePolicy.Skip,
        _ => throw new LunaInputException($"--on-bad-image: value '{value}' is not one of fail, skip"),
    };

    /// <summary>Checks every value; the message names the option as the command line spells it.</summary>
    /// <exception cref="LunaInputException">A value is out of range.</exception>
    public void Validate()
    {
        Training.Validate();
        if (ImageSize < 8 || ImageSize > 512)
        {
            throw new LunaInputException($"--image-size: value {ImageSize} must be in 8..512");
        }
        if (Channels is int c && c != 1 && c != 3)
        {
            throw new LunaInputException($"--channels: value {c} must be 1 or 3");
        }
        if (K < 1)
        {
            throw new LunaInputException($"--k: value {K} must be at least 1");
        }
        if (!(AcceptFraction > 0 && AcceptFraction <= 1))
        {
            throw new LunaInputException($"--accept-fraction: value {AcceptFraction} must be in (0, 1]");
        }
        if (ValidationPerClass < 1)
        {
            throw new LunaInputException($"--validation-per-class: value {ValidationPerClass} must be at least 1");
        }
    }
}

/// <summary>Where a model reports what it is doing; the defaults do nothing.</summary>
public sealed record PipelineProgress
{
    /// <summary>A silent progress.</summary>
    public static PipelineProgress Silent { get; } = new();

    /// <summary>Starts a step; the returned action is called when it ends.</summary>
    public Func<string, Action> Step { get; init; } = _ => () => { };

    /// <summary>Starts a training run; reports arrive after every batch.</summary>
    public Func<string, IProgress<TrainingProgress>?> Training { get; init; } = _ => null;

    /// <summary>A one-line message (skipped files, cache use).</summary>
    public Action<string> Message { get; init; } = _ => { };
}
