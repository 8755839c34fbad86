using Luna.Core;
using Luna.Core.Data;
using Luna.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Extraction;

/// <summary>Features and logits of a set of images.</summary>
/// <param name="Features">Raw features f_i, n × D (not L2-normalised).</param>
/// <param name="Logits">Logits W f_i + b, n × K.</param>
public sealed record ExtractedFeatures(FeatureMatrix Features, FeatureMatrix Logits);

/// <summary>Runs a trained network over images in batches, in evaluation mode under <c>torch.inference_mode()</c>.</summary>
public static class FeatureExtractor
{
    /// <summary>Default images per forward pass.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>Features [n, D] and logits [n, K] of <paramref name="images"/>, normalised with the model's normalisation.</summary>
    /// <exception cref="LunaInputException">The image shape differs from the model's, or the batch size is below 1.</exception>
    public static ExtractedFeatures Extract(TrainedModel model, ImageData images, int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        if (batchSize < 1)
        {
            throw new LunaInputException($"--batch-size: value {batchSize} must be at least 1");
        }
        if (images.Channels != model.Channels || images.Height != model.Height || images.Width != model.Width)
        {
            throw new LunaInputException(
                $"images: shape {images.Channels}×{images.Height}×{images.Width} differs from the model's training images {model.Channels}×{model.Height}×{model.Width}");
        }
        int n = images.Count;
        int d = model.FeatureDim;
        int k = model.ClassCount;
        var features = new FeatureMatrix(n, d);
        var logits = new FeatureMatrix(n, k);
        var assembler = new BatchAssembler(images, model.Normalization);
        var indices = new int[Math.Min(batchSize, Math.Max(n, 1))];
        model.Network.eval();
        using (inference_mode())
        {
            for (int start = 0; start < n; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int m = Math.Min(batchSize, n - start);
                for (int i = 0; i < m; i++)
                {
                    indices[i] = start + i;
                }
                var pixels = new float[m * images.ImageSize];
                assembler.Fill(indices.AsSpan(0, m), pixels, random: null, padding: 0);
                using var scope = NewDisposeScope();
                Tensor x = tensor(pixels, new long[] { m, images.Channels, images.Height, images.Width }).to(model.Device);
                (Tensor f, Tensor z) = model.Network.forward(x);
                f.cpu().data<float>().CopyTo(features.Data.Slice(start * d, m * d));
                z.cpu().data<float>().CopyTo(logits.Data.Slice(start * k, m * k));
            }
        }
        return new ExtractedFeatures(features, logits);
    }
}
