using Luna.Core;

namespace Luna.Training.Data;

/// <summary>
/// A set of images as one float array in NCHW order (image i, channel c, row y, column x at
/// <c>Pixels[((i * Channels + c) * Height + y) * Width + x]</c>), pixel values as loaded (for example 0..1),
/// with an optional label per image (0..K-1 for known classes, -1 for unknown).
/// </summary>
/// <remarks>The arrays are used as given, not copied; do not change them while a trainer or an extraction runs.</remarks>
public sealed class ImageData
{
    /// <summary>Wraps the pixel and label arrays.</summary>
    /// <param name="pixels">count × channels × height × width values, NCHW order.</param>
    /// <param name="count">Number of images, n ≥ 0.</param>
    /// <param name="channels">Channels per image (1 for grey).</param>
    /// <param name="height">Rows per image.</param>
    /// <param name="width">Columns per image.</param>
    /// <param name="labels">One label per image (length n), or null when the images are unlabelled.</param>
    /// <exception cref="LunaInputException">A size is not positive, or an array length does not match.</exception>
    public ImageData(float[] pixels, int count, int channels, int height, int width, int[]? labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count < 0)
        {
            throw new LunaInputException($"images: count {count} is negative");
        }
        if (channels < 1 || height < 1 || width < 1)
        {
            throw new LunaInputException($"images: shape {channels}×{height}×{width} must have positive sizes");
        }
        long expected = (long)count * channels * height * width;
        if (pixels.LongLength != expected)
        {
            throw new LunaInputException($"images: {pixels.LongLength} pixel values, expected n × c × h × w = {count} × {channels} × {height} × {width} = {expected}");
        }
        if (labels is not null && labels.Length != count)
        {
            throw new LunaInputException($"images: {labels.Length} labels for {count} images");
        }
        Pixels = pixels;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
        Labels = labels;
    }

    /// <summary>All pixels, NCHW order, length <see cref="Count"/> × <see cref="ImageSize"/>.</summary>
    public float[] Pixels { get; }

    /// <summary>Number of images, n.</summary>
    public int Count { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>Labels (length n), or null.</summary>
    public int[]? Labels { get; }

    /// <summary>Values per image, channels × height × width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>
    /// Number of images of each class 0..K-1, with K = largest label + 1, checking that the set can be trained on:
    /// labelled, every label in 0..K-1 (no unknowns), at least two classes, every class present.
    /// </summary>
    /// <exception cref="LunaInputException">The set breaks one of these rules; the message names the label or class.</exception>
    public int[] TrainingClassCounts()
    {
        if (Labels is null)
        {
            throw new LunaInputException("training images: no labels; training needs a label per image");
        }
        if (Count == 0)
        {
            throw new LunaInputException("training images: the set is empty");
        }
        int max = -1;
        for (int i = 0; i < Labels.Length; i++)
        {
            if (Labels[i] < 0)
            {
                throw new LunaInputException($"training images: image {i} has label {Labels[i]}; training images must have known labels 0..K-1");
            }
            max = Math.Max(max, Labels[i]);
        }
        var counts = new int[max + 1];
        foreach (int label in Labels)
        {
            counts[label]++;
        }
        if (counts.Length < 2)
        {
            throw new LunaInputException($"training images: only class {max} is present; training needs at least two classes");
        }
        for (int j = 0; j < counts.Length; j++)
        {
            if (counts[j] == 0)
            {
                throw new LunaInputException($"training images: class {j} has no image, but labels go up to {max}; classes must be numbered 0..K-1 without gaps");
            }
        }
        return counts;
    }
}
