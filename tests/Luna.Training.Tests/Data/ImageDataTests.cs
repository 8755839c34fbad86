using Luna.Core;
using Luna.Training.Data;

namespace Luna.Training.Tests.Data;

public class ImageDataTests
{
    [Fact]
    public void A_pixel_count_that_does_not_match_the_shape_is_named()
    {
        var error = Assert.Throws<LunaInputException>(() => new ImageData(new float[10], 2, 1, 2, 2, null));
        Assert.Equal("images: 10 pixel values, expected n × c × h × w = 2 × 1 × 2 × 2 = 8", error.Message);
    }

    [Fact]
    public void Training_class_counts_are_counted_per_label()
    {
        var images = new ImageData(new float[5], 5, 1, 1, 1, new[] { 1, 0, 2, 1, 1 });
        Assert.Equal(new[] { 1, 3, 1 }, images.TrainingClassCounts());
    }

    [Fact]
    public void Unknown_labels_cannot_be_trained_on()
    {
        var images = new ImageData(new float[3], 3, 1, 1, 1, new[] { 0, -1, 1 });
        var error = Assert.Throws<LunaInputException>(() => images.TrainingClassCounts());
        Assert.Equal("training images: image 1 has label -1; training images must have known labels 0..K-1", error.Message);
    }

    [Fact]
    public void A_gap_in_the_class_numbers_is_named()
    {
        var images = new ImageData(new float[3], 3, 1, 1, 1, new[] { 0, 2, 2 });
        var error = Assert.Throws<LunaInputException>(() => images.TrainingClassCounts());
        Assert.StartsWith("training images: class 1 has no image", error.Message);
    }

    [Fact]
    public void Normalization_is_the_channel_mean_and_population_std()
    {
        // two 1×1×2 images: pixels 1, 3, 5, 7 -> mean 4, population variance (9 + 1 + 1 + 9) / 4 = 5.
        var images = new ImageData(new float[] { 1, 3, 5, 7 }, 2, 1, 1, 2, new[] { 0, 1 });

        Normalization normalization = Normalization.Fit(images);

        Assert.Equal(4f, normalization.Mean[0]);
        Assert.Equal(MathF.Sqrt(5f), normalization.Std[0], 6);
    }

    [Fact]
    public void A_constant_channel_gets_std_one()
    {
        var images = new ImageData(new float[] { 2, 2, 2, 2 }, 2, 1, 1, 2, null);
        Assert.Equal(1f, Normalization.Fit(images).Std[0]);
    }
}
