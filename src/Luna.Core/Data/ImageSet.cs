namespace Luna.Core.Data;

/// <summary>
/// n grey-scale images of h × w pixels with one label each, stored as bytes (0 = black, 255 = white),
/// contiguous and row-major: pixel (y, x) of image i is <c>Pixels[i * h * w + y * w + x]</c>.
/// </summary>
/// <remarks>
/// <para>Labels follow Luna's convention: 0..K-1 for known classes, -1 for unknown samples.
/// <see cref="Tags"/>, when present, say where each sample came from and its open-set group.</para>
/// <para>For a network, <see cref="ToFloatPixels"/> gives the float tensor [n, 1, h, w] with values byte / 255 in [0, 1];
/// <see cref="CopyFloatPixels"/> fills one mini-batch without converting the whole set.</para>
/// <para>The set owns its arrays and never changes them; <see cref="Select"/> and <see cref="Concat"/> copy.</para>
/// </remarks>
public sealed class ImageSet
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;
    private readonly SampleTag[]? _tags;

    /// <summary>Wraps the arrays without copying.</summary>
    /// <param name="pixels">n × h × w bytes, row-major per image, images one after another.</param>
    /// <param name="height">Image height h ≥ 1.</param>
    /// <param name="width">Image width w ≥ 1.</param>
    /// <param name="labels">Label per image, length n (0..K-1, or -1 for unknown).</param>
    /// <param name="tags">Optional provenance and open-set group per image, length n.</param>
    /// <exception cref="ArgumentException">The lengths do not agree.</exception>
    public ImageSet(byte[] pixels, int height, int width, int[] labels, SampleTag[]? tags = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long expected = (long)labels.Length * height * width;
        if (pixels.LongLength != expected)
        {
            throw new ArgumentException($"pixels has {pixels.LongLength} bytes, expected n × h × w = {labels.Length} × {height} × {width} = {expected}.", nameof(pixels));
        }
        if (tags is not null && tags.Length != labels.Length)
        {
            throw new ArgumentException($"tags has {tags.Length} entries, labels has {labels.Length}.", nameof(tags));
        }
        _pixels = pixels;
        _labels = labels;
        _tags = tags;
        Height = height;
        Width = width;
    }

    /// <summary>Number of images, n.</summary>
    public int Count => _labels.Length;

    /// <summary>Image height h in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width w in pixels.</summary>
    public int Width { get; }

    /// <summary>Pixels per image, h × w.</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>All pixels, n × h × w bytes (read-only view).</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Label per image, length n: 0..K-1 for known classes, -1 for unknown (read-only view).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Provenance and open-set group per image, length n, or null when the set has none.</summary>
    public IReadOnlyList<SampleTag>? Tags => _tags;

    /// <summary>The h × w pixels of image <paramref name="index"/>, row-major.</summary>
    public ReadOnlySpan<byte> Image(int index) => _pixels.AsSpan(checked(index * PixelsPerImage), PixelsPerImage);

    /// <summary>A copy of the labels, length n.</summary>
    public int[] LabelsToArray() => (int[])_labels.Clone();

    /// <summary>
    /// All images as floats for a network input tensor of shape [n, 1, h, w] (contiguous, row-major):
    /// element i·h·w + y·w + x = Pixels[same index] / 255, in [0, 1].
    /// </summary>
    public float[] ToFloatPixels()
    {
        var result = new float[_pixels.Length];
        ConvertToFloat(_pixels, result);
        return result;
    }

    /// <summary>
    /// Writes the images listed in <paramref name="indices"/>, in that order, as floats byte / 255 into
    /// <paramref name="destination"/> (shape [indices.Length, 1, h, w], contiguous): one mini-batch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than indices.Length × h × w.</exception>
    public void CopyFloatPixels(ReadOnlySpan<int> indices, Span<float> destination)
    {
        int size = PixelsPerImage;
        if (destination.Length < (long)indices.Length * size)
        {
            throw new ArgumentException($"destination has {destination.Length} floats, needs {indices.Length} × {size}.", nameof(destination));
        }
        for (int i = 0; i < indices.Length; i++)
        {
            ConvertToFloat(Image(indices[i]), destination.Slice(i * size, size));
        }
    }

    /// <summary>
    /// The same images (the pixel buffer is shared, not copied; it is never modified) with new labels and tags.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ from <see cref="Count"/>.</exception>
    public ImageSet WithLabels(int[] labels, SampleTag[]? tags)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != Count)
        {
            throw new ArgumentException($"labels has {labels.Length} entries, the set has {Count} images.", nameof(labels));
        }
        return new ImageSet(_pixels, Height, Width, labels, tags);
    }

    /// <summary>A new set with the images listed in <paramref name="indices"/>, in that order (tags follow).</summary>
    public ImageSet Select(ReadOnlySpan<int> indices)
    {
        int size = PixelsPerImage;
        var pixels = new byte[checked(indices.Length * size)];
        var labels = new int[indices.Length];
        SampleTag[]? tags = _tags is null ? null : new SampleTag[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            Image(k).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = _labels[k];
            if (tags is not null)
            {
                tags[i] = _tags![k];
            }
        }
        return new ImageSet(pixels, Height, Width, labels, tags);
    }

    /// <summary>
    /// The sets one after another. All must have the same image size; the result has tags when every part has them.
    /// </summary>
    /// <exception cref="ArgumentException">The image sizes differ, or the list is empty.</exception>
    public static ImageSet Concat(IReadOnlyList<ImageSet> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("at least one set is needed.", nameof(parts));
        }
        int height = parts[0].Height;
        int width = parts[0].Width;
        int total = 0;
        bool allTagged = true;
        foreach (ImageSet part in parts)
        {
            if (part.Height != height || part.Width != width)
            {
                throw new ArgumentException($"image size {part.Height}×{part.Width} differs from {height}×{width}.", nameof(parts));
            }
            total = checked(total + part.Count);
            allTagged &= part._tags is not null;
        }
        var pixels = new byte[checked(total * height * width)];
        var labels = new int[total];
        SampleTag[]? tags = allTagged ? new SampleTag[total] : null;
        int offset = 0;
        foreach (ImageSet part in parts)
        {
            part._pixels.CopyTo(pixels, (long)offset * height * width);
            part._labels.CopyTo(labels, offset);
            if (tags is not null)
            {
                part._tags!.CopyTo(tags, offset);
            }
            offset += part.Count;
        }
        return new ImageSet(pixels, height, width, labels, tags);
    }

    private static void ConvertToFloat(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] / 255f;
        }
    }
}
