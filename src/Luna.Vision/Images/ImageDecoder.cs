using Luna.Core;
using SkiaSharp;

namespace Luna.Vision.Images;

/// <summary>What to do with a file that has an image extension but cannot be decoded (<c>--on-bad-image</c>).</summary>
public enum BadImagePolicy
{
    /// <summary>Stop with an error naming the file (exit code 2). The default.</summary>
    Fail,

    /// <summary>Report the file by path on standard error and leave it out.</summary>
    Skip,
}

/// <summary>How an image of any size becomes a square network input.</summary>
/// <param name="Size">Side S of the square input, in pixels.</param>
/// <param name="Channels">1 (grey: luma 0.299 R + 0.587 G + 0.114 B) or 3 (R, G, B planes).</param>
/// <param name="Scale">Factor applied to the 0..255 pixel values (1/255 gives 0..1).</param>
/// <remarks>
/// The image is scaled, keeping its aspect ratio, until it covers S×S, then the centre S×S square is kept
/// ("iso-crop", the resize mode of ML.NET's <c>ResizeImages</c> default, for which the packaged ResNet-18 was made).
/// Resampling is bilinear with linear mipmaps (so large photos are averaged, not aliased); a JPEG much larger than the
/// target is first decoded at 1/2, 1/4 or 1/8 of its size by the JPEG decoder itself. Transparent pixels are
/// composited on black. JPEG EXIF orientation is applied.
/// </remarks>
public sealed record ImageInput(int Size, int Channels, float Scale)
{
    /// <summary>Values per image: Channels × Size × Size.</summary>
    public int Length => Channels * Size * Size;
}

/// <summary>Decodes PNG, JPEG, BMP and WebP files with SkiaSharp and renders them as planar float inputs.</summary>
public static class ImageDecoder
{
    /// <summary>The file extensions read as images (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>True when <paramref name="path"/> has one of <see cref="Extensions"/>.</summary>
    public static bool HasImageExtension(string path)
    {
        string extension = Path.GetExtension(path);
        foreach (string e in Extensions)
        {
            if (string.Equals(e, extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Decodes <paramref name="data"/> (the bytes of <paramref name="path"/>) and renders it as
    /// <paramref name="input"/>.<see cref="ImageInput.Length"/> planar floats into <paramref name="destination"/>.
    /// </summary>
    /// <returns>True when the encoded image is greyscale.</returns>
    /// <exception cref="LunaInputException">The bytes are not a decodable image (the message names the path).</exception>
    public static bool Render(byte[] data, string path, ImageInput input, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(input);
        if (destination.Length < input.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} values, {input.Length} are needed", nameof(destination));
        }
        using SKBitmap source = Decode(data, path, input.Size, out bool grey, out SKEncodedOrigin origin);
        using var target = new SKBitmap(new SKImageInfo(input.Size, input.Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            int width = source.Width;
            int height = source.Height;
            bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
            float shownWidth = swap ? height : width;
            float shownHeight = swap ? width : height;
            float scale = Math.Max(input.Size / shownWidth, input.Size / shownHeight);
            // Centre the scaled (and oriented) image on the S×S canvas; what falls outside is the crop.
            canvas.Translate(input.Size / 2f, input.Size / 2f);
            canvas.Scale(scale);
            ApplyOrigin(canvas, origin);
            using SKImage image = SKImage.FromBitmap(source);
            var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear);
            canvas.DrawImage(image, SKRect.Create(-width / 2f, -height / 2f, width, height), sampling);
            canvas.Flush();
        }
        ReadOnlySpan<byte> pixels = target.GetPixelSpan();
        int plane = input.Size * input.Size;
        float s = input.Scale;
        if (input.Channels == 1)
        {
            for (int i = 0; i < plane; i++)
            {
                int o = i * 4;
                destination[i] = ((0.299f * pixels[o]) + (0.587f * pixels[o + 1]) + (0.114f * pixels[o + 2])) * s;
            }
        }
        else
        {
            for (int i = 0; i < plane; i++)
            {
                int o = i * 4;
                destination[i] = pixels[o] * s;
                destination[plane + i] = pixels[o + 1] * s;
                destination[(2 * plane) + i] = pixels[o + 2] * s;
            }
        }
        return grey;
    }

    /// <summary>True when the image in <paramref name="data"/> is encoded as greyscale; decodes only the header.</summary>
    /// <exception cref="LunaInputException">The bytes are not a recognised image.</exception>
    public static bool IsGrey(byte[] data, string path)
    {
        using var skData = SKData.CreateCopy(data);
        using SKCodec? codec = SKCodec.Create(skData);
        if (codec is null)
        {
            throw NotAnImage(path, data.Length);
        }
        return codec.Info.ColorType == SKColorType.Gray8;
    }

    private static SKBitmap Decode(byte[] data, string path, int targetSize, out bool grey, out SKEncodedOrigin origin)
    {
        using var skData = SKData.CreateCopy(data);
        using SKCodec? codec = SKCodec.Create(skData);
        if (codec is null)
        {
            throw NotAnImage(path, data.Length);
        }
        SKImageInfo info = codec.Info;
        if (info.Width < 1 || info.Height < 1)
        {
            throw LunaInputException.InFile(path, $"cannot be decoded: image size {info.Width}×{info.Height}");
        }
        grey = info.ColorType == SKColorType.Gray8;
        origin = codec.EncodedOrigin;
        // Large JPEGs decode straight to a smaller size (libjpeg's 1/2, 1/4, 1/8) as long as it still covers the target.
        // Only JPEG: other decoders (WebP) would resample with their own filter, and a picture must render the same
        // whatever lossless format holds it.
        float cover = Math.Max((float)targetSize / info.Width, (float)targetSize / info.Height);
        SKSizeI size = cover < 1 && codec.EncodedFormat == SKEncodedImageFormat.Jpeg ? codec.GetScaledDimensions(cover) : info.Size;
        if (size.Width < 1 || size.Height < 1 || Math.Max((float)targetSize / size.Width, (float)targetSize / size.Height) > 1)
        {
            size = info.Size;
        }
        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(decodeInfo);
        try
        {
            SKCodecResult result = codec.GetPixels(decodeInfo, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw LunaInputException.InFile(path, result == SKCodecResult.IncompleteInput
                    ? "cannot be decoded: the image data is truncated"
                    : $"cannot be decoded: the decoder reports {result}");
            }
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static LunaInputException NotAnImage(string path, int length) => LunaInputException.InFile(path, length == 0
        ? "cannot be decoded: the file is empty"
        : "cannot be decoded: not a PNG, JPEG, BMP or WebP image");

    private static void ApplyOrigin(SKCanvas canvas, SKEncodedOrigin origin)
    {
        // Maps the stored pixels to the upright picture (EXIF orientation 1..8), about the image centre.
        switch (origin)
        {
            case SKEncodedOrigin.TopRight:
                canvas.Scale(-1, 1);
                break;
            case SKEncodedOrigin.BottomRight:
                canvas.RotateDegrees(180);
                break;
            case SKEncodedOrigin.BottomLeft:
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.LeftTop:
                canvas.RotateDegrees(90);
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.RightTop:
                canvas.RotateDegrees(90);
                break;
            case SKEncodedOrigin.RightBottom:
                canvas.RotateDegrees(-90);
                canvas.Scale(1, -1);
                break;
            case SKEncodedOrigin.LeftBottom:
                canvas.RotateDegrees(-90);
                break;
        }
    }
}
