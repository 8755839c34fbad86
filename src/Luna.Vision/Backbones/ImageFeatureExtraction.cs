using System.Security.Cryptography;
using Luna.Core.Data;
using Luna.Training.Data;
using Luna.Vision.Images;

namespace Luna.Vision.Backbones;

/// <summary>Features of a list of image files, for the images that could be decoded.</summary>
/// <param name="Features">One row per kept image, n_kept × D.</param>
/// <param name="Kept">For each row, the index of its file in the list asked for.</param>
/// <param name="Skipped">The files left out under <see cref="BadImagePolicy.Skip"/>, with the reason.</param>
/// <param name="Extracted">Images run through the backbone in this call.</param>
/// <param name="FromCache">Images whose features came from the feature cache.</param>
public sealed record FrozenFeatures(FeatureMatrix Features, int[] Kept, IReadOnlyList<SkippedImage> Skipped, int Extracted, int FromCache);

/// <summary>Decoded images for a trainable backbone.</summary>
/// <param name="Images">The kept images, NCHW floats.</param>
/// <param name="Kept">For each image, the index of its file in the list asked for.</param>
/// <param name="Skipped">The files left out, with the reason.</param>
/// <param name="AllGrey">True when every kept image is encoded as greyscale.</param>
public sealed record DecodedImages(ImageData Images, int[] Kept, IReadOnlyList<SkippedImage> Skipped, bool AllGrey);

/// <summary>Runs image files through decoding and a frozen backbone on every core, with the feature cache.</summary>
public static class ImageFeatureExtraction
{
    /// <summary>
    /// ResNet-18 features of <paramref name="paths"/>: per file (in parallel, one per core), read the bytes, hash them
    /// (SHA-256), take the features from <paramref name="cache"/> when present, else decode, render and run the
    /// network, and store the result in the cache.
    /// </summary>
    /// <param name="backbone">The network.</param>
    /// <param name="cache">The feature cache, or null to always extract.</param>
    /// <param name="paths">Image files.</param>
    /// <param name="policy">What to do with a file that cannot be decoded.</param>
    /// <param name="imageDone">Called after each file (from worker threads), or null.</param>
    /// <param name="cancellationToken">Stops between images.</param>
    /// <exception cref="Luna.Core.LunaInputException">A file cannot be read or decoded under <see cref="BadImagePolicy.Fail"/>.</exception>
    public static FrozenFeatures ResNet18(ResNet18Backbone backbone, FeatureCache? cache, IReadOnlyList<string> paths, BadImagePolicy policy, Action? imageDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(paths);
        int d = ResNet18Backbone.FeatureDim;
        var all = new float[paths.Count * d];
        int extracted = 0;
        int fromCache = 0;
        var skipped = new List<SkippedImage>();
        using var buffers = new ThreadLocal<float[]>(() => new float[ResNet18Backbone.Input.Length]);
        bool[] ok = ImageBatch.Run(paths, policy, (i, bytes) =>
        {
            Span<float> target = all.AsSpan(i * d, d);
            string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (cache is not null && cache.TryGet(sha, target))
            {
                Interlocked.Increment(ref fromCache);
                return;
            }
            float[] input = buffers.Value!;
            ImageDecoder.Render(bytes, paths[i], ResNet18Backbone.Input, input);
            backbone.Extract(input, target);
            Interlocked.Increment(ref extracted);
            cache?.Put(sha, target);
        }, skipped, imageDone, cancellationToken);
        int[] kept = KeptIndices(ok);
        var features = new FeatureMatrix(kept.Length, d);
        for (int r = 0; r < kept.Length; r++)
        {
            all.AsSpan(kept[r] * d, d).CopyTo(features.Row(r));
        }
        return new FrozenFeatures(features, kept, skipped, extracted, fromCache);
    }

    /// <summary>Decodes and renders <paramref name="paths"/> as <paramref name="input"/> images (in parallel), with labels when given.</summary>
    /// <exception cref="Luna.Core.LunaInputException">A file cannot be read or decoded under <see cref="BadImagePolicy.Fail"/>, or none is left.</exception>
    public static DecodedImages Decode(IReadOnlyList<string> paths, IReadOnlyList<int>? labels, ImageInput input, BadImagePolicy policy, Action? imageDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(input);
        int size = input.Length;
        var all = new float[(long)paths.Count * size];
        var grey = new bool[paths.Count];
        var skipped = new List<SkippedImage>();
        bool[] ok = ImageBatch.Run(paths, policy, (i, bytes) =>
        {
            grey[i] = ImageDecoder.Render(bytes, paths[i], input, all.AsSpan(i * size, size));
        }, skipped, imageDone, cancellationToken);
        int[] kept = KeptIndices(ok);
        float[] pixels = kept.Length == paths.Count ? all : new float[(long)kept.Length * size];
        bool allGrey = true;
        int[]? keptLabels = labels is null ? null : new int[kept.Length];
        for (int r = 0; r < kept.Length; r++)
        {
            if (!ReferenceEquals(pixels, all))
            {
                all.AsSpan(kept[r] * size, size).CopyTo(pixels.AsSpan(r * size, size));
            }
            allGrey &= grey[kept[r]];
            if (keptLabels is not null)
            {
                keptLabels[r] = labels![kept[r]];
            }
        }
        var images = new ImageData(pixels, kept.Length, input.Channels, input.Size, input.Size, keptLabels);
        return new DecodedImages(images, kept, skipped, allGrey && kept.Length > 0);
    }

    /// <summary>True when every image of <paramref name="paths"/> that can be read is encoded as greyscale (headers only).</summary>
    public static bool AllGrey(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        int colour = 0;
        Parallel.For(0, paths.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, (i, state) =>
        {
            try
            {
                if (!ImageDecoder.IsGrey(ImageBatch.ReadBytes(paths[i]), paths[i]))
                {
                    Interlocked.Increment(ref colour);
                    state.Stop();
                }
            }
            catch (Luna.Core.LunaInputException)
            {
                // bad files are reported when they are decoded
            }
        });
        return colour == 0;
    }

    private static int[] KeptIndices(bool[] ok)
    {
        var kept = new List<int>(ok.Length);
        for (int i = 0; i < ok.Length; i++)
        {
            if (ok[i])
            {
                kept.Add(i);
            }
        }
        return kept.ToArray();
    }
}
