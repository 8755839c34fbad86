using Luna.Training.Data;

namespace Luna.Training.Tests.Data;

public class BatchAssemblerTests
{
    // One 1×3×3 image:  1 2 3 / 4 5 6 / 7 8 9.
    private static readonly ImageData s_image = new(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3, new[] { 0 });

    [Fact]
    public void Without_augmentation_images_are_only_normalised()
    {
        var assembler = new BatchAssembler(s_image, new Normalization(new[] { 1f }, new[] { 2f }));
        var batch = new float[9];

        assembler.Fill(new[] { 0 }, batch, random: null, padding: 4);

        Assert.Equal(new float[] { 0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4 }, batch);
    }

    [Fact]
    public void Crop_shifts_the_padded_image_and_fills_with_black()
    {
        var assembler = new BatchAssembler(s_image, new Normalization(new[] { 0f }, new[] { 1f }));
        var batch = new float[9];
        // padding 1: row offset Next(3) = 2 -> dy = +1; column offset Next(3) = 0 -> dx = -1; Next(2) = 0 -> no flip.
        // out(y, x) = src(y + 1, x - 1), 0 outside.
        assembler.Fill(new[] { 0 }, batch, new ScriptedRandom(2, 0, 0), padding: 1);

        Assert.Equal(new float[] { 0, 4, 5, 0, 7, 8, 0, 0, 0 }, batch);
    }

    [Fact]
    public void Flip_mirrors_the_cropped_image()
    {
        var assembler = new BatchAssembler(s_image, new Normalization(new[] { 0f }, new[] { 1f }));
        var batch = new float[9];

        assembler.Fill(new[] { 0 }, batch, new ScriptedRandom(2, 0, 1), padding: 1);

        // the crop above, each row reversed
        Assert.Equal(new float[] { 5, 4, 0, 8, 7, 0, 0, 0, 0 }, batch);
    }

    [Fact]
    public void Padding_is_black_before_normalisation()
    {
        var assembler = new BatchAssembler(s_image, new Normalization(new[] { 5f }, new[] { 2f }));
        var batch = new float[9];
        // dy = -1 (Next(3) = 0), dx = 0 (Next(3) = 1), no flip: row 0 is padding -> (0 - 5) / 2.
        assembler.Fill(new[] { 0 }, batch, new ScriptedRandom(0, 1, 0), padding: 1);

        Assert.Equal(new float[] { -2.5f, -2.5f, -2.5f, -2, -1.5f, -1, -0.5f, 0, 0.5f }, batch);
    }

    [Fact]
    public void The_same_seed_gives_the_same_augmented_batch()
    {
        ImageData images = TestData.Bars(new[] { 4, 4 }, 8, seed: 1);
        var assembler = new BatchAssembler(images, Normalization.Fit(images));
        int[] indices = { 3, 0, 7, 5 };
        var a = new float[4 * 64];
        var b = new float[4 * 64];
        var c = new float[4 * 64];

        assembler.Fill(indices, a, new Random(42), 4);
        assembler.Fill(indices, b, new Random(42), 4);
        assembler.Fill(indices, c, new Random(43), 4);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    /// <summary>A Random whose Next(max) returns scripted values in order.</summary>
    private sealed class ScriptedRandom(params int[] values) : Random
    {
        private int _next;

        public override int Next(int maxValue)
        {
            int value = values[_next++];
            Assert.InRange(value, 0, maxValue - 1);
            return value;
        }
    }
}
