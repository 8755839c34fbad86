namespace Luna.Training.Data;

/// <summary>
/// Copies a batch of images into one NCHW float buffer, normalised, optionally with the training augmentation:
/// a random crop of the original size from the image zero-padded by <c>padding</c> pixels on every side, then a
/// horizontal flip with probability 1/2 (the Fashion-MNIST / CIFAR recipe). Padding is black (pixel value 0 before
/// normalisation), as torchvision's RandomCrop pads the raw image.
/// </summary>
/// <remarks>
/// Per image, in order, the generator draws the row offset <c>Next(2p + 1)</c>, the column offset <c>Next(2p + 1)</c>
/// and the flip <c>Next(2) == 1</c>; so the same seed gives the same batches.
/// </remarks>
internal sealed class BatchAssembler
{
    private readonly ImageData _images;
    private readonly float[] _scale;
    private readonly float[] _shift;

    public BatchAssembler(ImageData images, Normalization normalization)
    {
        _images = images;
        normalization.Validate(images.Channels);
        _scale = new float[images.Channels];
        _shift = new float[images.Channels];
        for (int c = 0; c < images.Channels; c++)
        {
            _scale[c] = 1f / normalization.Std[c];
            _shift[c] = -normalization.Mean[c] / normalization.Std[c];
        }
    }

    /// <summary>
    /// Writes the images <paramref name="indices"/> into <paramref name="destination"/> (length ≥ indices × image size).
    /// With <paramref name="random"/> null no augmentation is applied.
    /// </summary>
    public void Fill(ReadOnlySpan<int> indices, Span<float> destination, Random? random, int padding)
    {
        int channels = _images.Channels;
        int height = _images.Height;
        int width = _images.Width;
        int plane = height * width;
        int size = _images.ImageSize;
        ReadOnlySpan<float> pixels = _images.Pixels;
        for (int b = 0; b < indices.Length; b++)
        {
            ReadOnlySpan<float> source = pixels.Slice(indices[b] * size, size);
            Span<float> target = destination.Slice(b * size, size);
            if (random is null)
            {
                for (int c = 0; c < channels; c++)
                {
                    float scale = _scale[c];
                    float shift = _shift[c];
                    ReadOnlySpan<float> s = source.Slice(c * plane, plane);
                    Span<float> t = target.Slice(c * plane, plane);
                    for (int k = 0; k < plane; k++)
                    {
                        t[k] = (s[k] * scale) + shift;
                    }
                }
                continue;
            }
            int dy = random.Next((2 * padding) + 1) - padding;
            int dx = random.Next((2 * padding) + 1) - padding;
            bool flip = random.Next(2) == 1;
            for (int c = 0; c < channels; c++)
            {
                float scale = _scale[c];
                float shift = _shift[c];
                ReadOnlySpan<float> s = source.Slice(c * plane, plane);
                Span<float> t = target.Slice(c * plane, plane);
                for (int y = 0; y < height; y++)
                {
                    int sy = y + dy;
                    Span<float> row = t.Slice(y * width, width);
                    if (sy < 0 || sy >= height)
                    {
                        row.Fill(shift);
                        continue;
                    }
                    ReadOnlySpan<float> sourceRow = s.Slice(sy * width, width);
                    for (int x = 0; x < width; x++)
                    {
                        // output column x shows cropped column (flip ? width-1-x : x), i.e. source column that + dx.
                        int sx = (flip ? width - 1 - x : x) + dx;
                        row[x] = sx >= 0 && sx < width ? (sourceRow[sx] * scale) + shift : shift;
                    }
                }
            }
        }
    }
}
