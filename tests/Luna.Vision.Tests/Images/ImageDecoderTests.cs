using Luna.Core;
using Luna.Vision.Images;
using SkiaSharp;

namespace Luna.Vision.Tests.Images;

public class ImageDecoderTests
{
    private static float[] Render(byte[] bytes, ImageInput input, out bool grey)
    {
        var result = new float[input.Length];
        grey = ImageDecoder.Render(bytes, "picture", input, result);
        return result;
    }

    [Fact]
    public void Png_bmp_and_lossless_webp_of_one_picture_render_identically_and_jpeg_close_to_them()
    {
        using SKBitmap picture = TestImages.Gradient(40, 30);
        var input = new ImageInput(16, 3, 1f);
        float[] png = Render(TestImages.Encode(picture, SKEncodedImageFormat.Png), input, out _);
        float[] bmp = Render(TestImages.Bmp(picture), input, out _);
        float[] webp = Render(TestImages.WebpLossless(picture), input, out _);
        float[] jpeg = Render(TestImages.Encode(picture, SKEncodedImageFormat.Jpeg, 100), input, out _);
        Assert.Equal(png, bmp);
        Assert.Equal(png, webp);
        double meanAbs = png.Zip(jpeg, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanAbs, 0, 4.0);
    }

    [Fact]
    public void Iso_crop_keeps_the_centre_square_of_a_wide_image()
    {
        // 60×20: red | green | blue thirds; the centre 20×20 square is all green.
        using SKBitmap picture = TestImages.Picture(60, 20, (x, _) => x < 20 ? ((byte)255, (byte)0, (byte)0) : x < 40 ? ((byte)0, (byte)255, (byte)0) : ((byte)0, (byte)0, (byte)255));
        float[] rendered = Render(TestImages.Encode(picture, SKEncodedImageFormat.Png), new ImageInput(10, 3, 1f), out _);
        int plane = 100;
        for (int y = 0; y < 10; y++)
        {
            for (int x = 1; x < 9; x++)
            {
                int i = (y * 10) + x;
                Assert.InRange(rendered[i], 0f, 1f);
                Assert.InRange(rendered[plane + i], 254f, 255f);
                Assert.InRange(rendered[(2 * plane) + i], 0f, 1f);
            }
        }
    }

    [Fact]
    public void A_grey_image_is_reported_grey_and_gives_three_equal_channels()
    {
        using SKBitmap colour = TestImages.Gradient(24, 24);
        using SKBitmap grey = colour.Copy(SKColorType.Gray8);
        float[] rendered = Render(TestImages.Encode(grey, SKEncodedImageFormat.Png), new ImageInput(12, 3, 1f), out bool isGrey);
        Assert.True(isGrey);
        Assert.Equal(rendered.AsSpan(0, 144).ToArray(), rendered.AsSpan(144, 144).ToArray());
        Assert.Equal(rendered.AsSpan(0, 144).ToArray(), rendered.AsSpan(288, 144).ToArray());
        Render(TestImages.Encode(colour, SKEncodedImageFormat.Png), new ImageInput(12, 3, 1f), out bool colourIsGrey);
        Assert.False(colourIsGrey);
    }

    [Fact]
    public void One_channel_input_is_the_luma_of_the_colour_times_the_scale()
    {
        using SKBitmap red = TestImages.Picture(8, 8, (_, _) => (200, 100, 50));
        float[] rendered = Render(TestImages.Encode(red, SKEncodedImageFormat.Png), new ImageInput(4, 1, 1f / 255f), out _);
        float expected = ((0.299f * 200) + (0.587f * 100) + (0.114f * 50)) / 255f;
        Assert.All(rendered, v => Assert.Equal(expected, v, 5));
    }

    [Fact]
    public void A_large_jpeg_is_decoded_at_a_reduced_scale_and_renders_like_its_full_size_png()
    {
        using SKBitmap big = TestImages.Gradient(1000, 800);
        var input = new ImageInput(32, 3, 1f);
        float[] jpeg = Render(TestImages.Encode(big, SKEncodedImageFormat.Jpeg, 95), input, out _);
        float[] png = Render(TestImages.Encode(big, SKEncodedImageFormat.Png), input, out _);
        double meanAbs = png.Zip(jpeg, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanAbs, 0, 6.0);
    }

    [Theory]
    [InlineData("text", "cannot be decoded: not a PNG, JPEG, BMP or WebP image")]
    [InlineData("empty", "cannot be decoded: the file is empty")]
    [InlineData("truncated", "cannot be decoded: the image data is truncated")]
    public void An_undecodable_file_is_bad_input_naming_the_path(string kind, string expected)
    {
        using SKBitmap picture = TestImages.Gradient(64, 64);
        byte[] png = TestImages.Encode(picture, SKEncodedImageFormat.Png);
        byte[] bytes = kind switch
        {
            "text" => "this is not an image"u8.ToArray(),
            "empty" => [],
            _ => png[..(png.Length / 2)],
        };
        var e = Assert.Throws<LunaInputException>(() => ImageDecoder.Render(bytes, "/data/cat/broken.png", new ImageInput(8, 3, 1f), new float[192]));
        Assert.Equal($"/data/cat/broken.png: {expected}", e.Message);
    }

    [Theory]
    [InlineData("a.png", true)]
    [InlineData("a.JPG", true)]
    [InlineData("a.jpeg", true)]
    [InlineData("a.bmp", true)]
    [InlineData("a.webp", true)]
    [InlineData("a.gif", false)]
    [InlineData("notes.txt", false)]
    public void Image_files_are_recognised_by_extension(string name, bool expected)
        => Assert.Equal(expected, ImageDecoder.HasImageExtension(name));
}
