using Luna.Core;
using Luna.Core.Data;
using Luna.Training.Data;
using Luna.Training.Extraction;
using Luna.Training.Models;
using TorchSharp;

namespace Luna.Training;

/// <summary>
/// A trained feature extractor: the network (in evaluation mode), the class centers, the options and the data facts
/// needed to use it again (class counts, normalisation, image size). Produced by <see cref="FeatureTrainer.Fit"/> or
/// <see cref="Load"/>; it does not change afterwards. Holds native tensors: dispose it.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    private readonly int[] _classCounts;
    private readonly double[] _classWeights;
    private readonly float[] _centers;
    private readonly EpochSummary[] _history;

    internal TrainedModel(
        SmallResNet network, torch.Device device, TrainingOptions options, int[] classCounts, double[] classWeights,
        Normalization normalization, float[] centers, int height, int width, IReadOnlyList<EpochSummary> history)
    {
        Network = network;
        Device = device;
        Options = options;
        _classCounts = classCounts;
        _classWeights = classWeights;
        Normalization = normalization;
        _centers = centers;
        Height = height;
        Width = width;
        _history = history.ToArray();
        network.eval();
    }

    /// <summary>The network (evaluation mode). Owned by this object.</summary>
    public SmallResNet Network { get; }

    /// <summary>The device the network lives on.</summary>
    public torch.Device Device { get; }

    /// <summary>The options it was trained with.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Number of known classes K.</summary>
    public int ClassCount => _classCounts.Length;

    /// <summary>Feature dimension D.</summary>
    public int FeatureDim => Network.FeatureDim;

    /// <summary>Channels of the input images.</summary>
    public int Channels => Network.InputChannels;

    /// <summary>Rows of the input images.</summary>
    public int Height { get; }

    /// <summary>Columns of the input images.</summary>
    public int Width { get; }

    /// <summary>Training images per class n_j, length K.</summary>
    public IReadOnlyList<int> ClassCounts => _classCounts;

    /// <summary>The lambda_j the center term used (all 1 for center, ce and the baselines), length K.</summary>
    public IReadOnlyList<double> ClassWeights => _classWeights;

    /// <summary>The input normalisation.</summary>
    public Normalization Normalization { get; }

    /// <summary>A copy of the class centers c_j as a K × D matrix (zeros for losses without centers).</summary>
    public FeatureMatrix Centers => new((float[])_centers.Clone(), ClassCount, FeatureDim);

    /// <summary>Loss, accuracy and seconds of every training epoch.</summary>
    public IReadOnlyList<EpochSummary> History => _history;

    /// <summary>
    /// Features [n, D] and logits [n, K] of <paramref name="images"/> (normalised like the training images, no
    /// augmentation), computed in batches in evaluation mode under <c>torch.inference_mode()</c>.
    /// </summary>
    /// <exception cref="LunaInputException">The image shape differs from the training images'.</exception>
    public ExtractedFeatures Extract(ImageData images, int batchSize = FeatureExtractor.DefaultBatchSize, CancellationToken cancellationToken = default)
        => FeatureExtractor.Extract(this, images, batchSize, cancellationToken);

    /// <summary>Writes the checkpoint (weights, centers, options, counts, normalisation) to <paramref name="path"/>, atomically.</summary>
    public void Save(string path) => Checkpoint.Save(this, path);

    /// <summary>Reads a checkpoint written by <see cref="Save"/>; the network is restored bit for bit.</summary>
    /// <param name="path">Checkpoint file.</param>
    /// <param name="device">Device to load the network onto.</param>
    /// <exception cref="LunaInputException">The file is missing, not a Luna checkpoint, or damaged; or the device is unavailable.</exception>
    public static TrainedModel Load(string path, DeviceKind device = DeviceKind.Cpu) => Checkpoint.Load(path, device);

    internal ReadOnlySpan<float> CenterValues => _centers;

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
