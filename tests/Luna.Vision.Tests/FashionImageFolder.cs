using Luna.Core.Data;
using SkiaSharp;

namespace Luna.Vision.Tests;

/// <summary>
/// Writes Fashion-MNIST images (the real IDX files) as an image folder: <c>root/train/&lt;class&gt;/</c> from the
/// training set and <c>root/test/&lt;class&gt;/</c> from the test set, alternating PNG at 36×36 and JPEG at 20×20,
/// one image in three stored as colour, so that sizes, formats and channel counts all differ from the 28×28 grey source.
/// </summary>
internal static class FashionImageFolder
{
    /// <summary>Folder names of the ten classes (no slash).</summary>
    public static readonly string[] Names = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"];

    private static readonly Lazy<(ImageSet Train, ImageSet Test)> s_data = new(() =>
    {
        FashionMnistFiles files = DataLocator.FromProcessEnvironment().LocateFashionMnist();
        return (IdxReader.ReadImageSet(files.TrainImages, files.TrainLabels), IdxReader.ReadImageSet(files.TestImages, files.TestLabels));
    });

    /// <summary>
    /// Writes the training images of <paramref name="trainCounts"/> (class → count, the first images of that class) and
    /// <paramref name="testPerClass"/> test images of every class in <paramref name="testClasses"/>.
    /// </summary>
    public static void Write(string root, IReadOnlyDictionary<int, int> trainCounts, IReadOnlyList<int> testClasses, int testPerClass)
    {
        (ImageSet train, ImageSet test) = s_data.Value;
        foreach ((int c, int count) in trainCounts)
        {
            WriteClass(Path.Combine(root, "train", Names[c]), train, c, count);
        }
        foreach (int c in testClasses)
        {
            WriteClass(Path.Combine(root, "test", Names[c]), test, c, testPerClass);
        }
    }

    /// <summary>Encodes a 28×28 grey image at <paramref name="size"/>×<paramref name="size"/> as PNG or JPEG (grey or RGB).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int size, bool png, bool colour)
    {
        using var source = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        pixels.CopyTo(source.GetPixelSpan());
        var info = new SKImageInfo(size, size, colour ? SKColorType.Rgba8888 : SKColorType.Gray8, SKAlphaType.Opaque);
        using SKBitmap resized = source.Copy(info.ColorType).Resize(info, new SKSamplingOptions(SKFilterMode.Linear));
        using SKData data = resized.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }

    private static void WriteClass(string folder, ImageSet set, int c, int count)
    {
        Directory.CreateDirectory(folder);
        int written = 0;
        for (int i = 0; i < set.Count && written < count; i++)
        {
            if (set.Labels[i] != c)
            {
                continue;
            }
            bool png = written % 2 == 0;
            byte[] bytes = Encode(set.Image(i), png ? 36 : 20, png, colour: written % 3 == 0);
            File.WriteAllBytes(Path.Combine(folder, $"{written:D4}.{(png ? "png" : "jpg")}"), bytes);
            written++;
        }
    }
}
