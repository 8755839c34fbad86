using SkiaSharp;

namespace Luna.Vision.Tests.Images;

/// <summary>Small pictures made in the tests, encoded in every supported format.</summary>
internal static class TestImages
{
    /// <summary>An RGBA picture from a function of (x, y) giving (r, g, b).</summary>
    public static SKBitmap Picture(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = colour(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }
        return bitmap;
    }

    /// <summary>A smooth colour gradient.</summary>
    public static SKBitmap Gradient(int width, int height)
        => Picture(width, height, (x, y) => ((byte)(255 * x / (width - 1)), (byte)(255 * y / (height - 1)), (byte)(128 + (64 * ((x + y) % 2)) - 32)));

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using SKData data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format}");
        return data.ToArray();
    }

    /// <summary>A lossless WebP (Skia writes lossless WebP at quality 100 with the lossless option).</summary>
    public static byte[] WebpLossless(SKBitmap bitmap)
    {
        using SKPixmap pixmap = bitmap.PeekPixels() ?? throw new InvalidOperationException("no pixels");
        using SKData data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100)) ?? throw new InvalidOperationException("Skia cannot encode WebP");
        return data.ToArray();
    }

    /// <summary>An uncompressed 24-bit BMP (bottom-up rows, BGR, rows padded to 4 bytes), written by hand.</summary>
    public static byte[] Bmp(SKBitmap bitmap)
    {
        int width = bitmap.Width;
        int height = bitmap.Height;
        int stride = ((width * 3) + 3) & ~3;
        int size = 54 + (stride * height);
        var bytes = new byte[size];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BitConverter.TryWriteBytes(bytes.AsSpan(2), size);
        BitConverter.TryWriteBytes(bytes.AsSpan(10), 54);
        BitConverter.TryWriteBytes(bytes.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bytes.AsSpan(18), width);
        BitConverter.TryWriteBytes(bytes.AsSpan(22), height);
        BitConverter.TryWriteBytes(bytes.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), (short)24);
        BitConverter.TryWriteBytes(bytes.AsSpan(34), stride * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + ((height - 1 - y) * stride);
            for (int x = 0; x < width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                bytes[row + (3 * x)] = c.Blue;
                bytes[row + (3 * x) + 1] = c.Green;
                bytes[row + (3 * x) + 2] = c.Red;
            }
        }
        return bytes;
    }
}
