using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class ImageSetTests
{
    private static ImageSet ThreeImages()
    {
        // 3 images of 1×2 pixels: (0, 255), (51, 102), (1, 2); labels 4, -1, 0.
        var tags = new[]
        {
            new SampleTag(OpenSetGroup.Known, 4, "four", "s", 10),
            new SampleTag(OpenSetGroup.Far, 8, "eight", "s", 11),
            new SampleTag(OpenSetGroup.Known, 0, "zero", "s", 12),
        };
        return new ImageSet([0, 255, 51, 102, 1, 2], 1, 2, [4, -1, 0], tags);
    }

    [Fact]
    public void Float_pixels_are_the_bytes_divided_by_255_in_image_order()
    {
        float[] pixels = ThreeImages().ToFloatPixels();
        Assert.Equal(new[] { 0f, 1f, 0.2f, 0.4f, 1f / 255f, 2f / 255f }, pixels);
    }

    [Fact]
    public void A_batch_copies_the_listed_images_in_the_given_order()
    {
        var batch = new float[4];
        ThreeImages().CopyFloatPixels([2, 0], batch);
        Assert.Equal(new[] { 1f / 255f, 2f / 255f, 0f, 1f }, batch);
    }

    [Fact]
    public void Select_keeps_pixels_labels_and_tags_together()
    {
        ImageSet picked = ThreeImages().Select([1, 1, 2]);
        Assert.Equal(new[] { -1, -1, 0 }, picked.LabelsToArray());
        Assert.Equal(new byte[] { 51, 102, 51, 102, 1, 2 }, picked.Pixels.ToArray());
        Assert.Equal(12, picked.Tags![2].SourceIndex);
        Assert.Equal(2, picked.Tags[0].HierarchyDistance);
    }

    [Fact]
    public void Concat_puts_sets_one_after_another_and_drops_tags_unless_all_have_them()
    {
        ImageSet a = ThreeImages();
        var b = new ImageSet([9, 8], 1, 2, [3]);
        ImageSet both = ImageSet.Concat([a, b]);
        Assert.Equal(4, both.Count);
        Assert.Equal(new[] { 4, -1, 0, 3 }, both.LabelsToArray());
        Assert.Equal(new byte[] { 9, 8 }, both.Image(3).ToArray());
        Assert.Null(both.Tags);
        Assert.NotNull(ImageSet.Concat([a, a]).Tags);
        Assert.Throws<ArgumentException>(() => ImageSet.Concat([a, new ImageSet([1, 2], 2, 1, [0])]));
    }

    [Fact]
    public void With_labels_keeps_the_pixels_and_replaces_labels()
    {
        ImageSet relabelled = ThreeImages().WithLabels([1, 2, 3], null);
        Assert.Equal(new[] { 1, 2, 3 }, relabelled.LabelsToArray());
        Assert.Equal(ThreeImages().Pixels.ToArray(), relabelled.Pixels.ToArray());
        Assert.Throws<ArgumentException>(() => ThreeImages().WithLabels([1], null));
    }

    [Fact]
    public void Lengths_that_disagree_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ImageSet(new byte[5], 1, 2, [0, 0, 0]));
        Assert.Throws<ArgumentException>(() => new ImageSet(new byte[6], 1, 2, [0, 0, 0], new SampleTag[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageSet(new byte[0], 0, 2, []));
    }
}
