using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class IdxReaderTests
{
    // Fixtures written by Fixtures/Data/make_data_fixtures.py: pixel (i, y, x) = 10 i + 4 y + x + 1, labels 7, 0, 9.
    private static byte ExpectedPixel(int i, int y, int x) => (byte)((10 * i) + (4 * y) + x + 1);

    [Theory]
    [InlineData("images-3x2x4.idx3", "labels-3.idx1")]
    [InlineData("images-3x2x4.idx3.gz", "labels-3.idx1.gz")]
    [InlineData("images-3x2x4.idx3.gz", "labels-3.idx1")]
    public void Plain_and_gzipped_files_give_the_images_and_labels_numpy_wrote(string images, string labels)
    {
        ImageSet set = IdxReader.ReadImageSet(TestData.Fixture(images), TestData.Fixture(labels));
        Assert.Equal(3, set.Count);
        Assert.Equal(2, set.Height);
        Assert.Equal(4, set.Width);
        Assert.Equal(new[] { 7, 0, 9 }, set.LabelsToArray());
        for (int i = 0; i < 3; i++)
        {
            for (int y = 0; y < 2; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    Assert.Equal(ExpectedPixel(i, y, x), set.Image(i)[(y * 4) + x]);
                }
            }
        }
    }

    [Fact]
    public void Gzip_is_detected_from_the_content_not_the_file_name()
    {
        using var temp = new TestData.TempFolder();
        string plainNamedGz = temp.File("images.gz");
        string gzNamedPlain = temp.File("images.idx3");
        File.Copy(TestData.Fixture("images-3x2x4.idx3"), plainNamedGz);
        File.Copy(TestData.Fixture("images-3x2x4.idx3.gz"), gzNamedPlain);
        IdxContent a = IdxReader.Read(plainNamedGz, IdxReader.ImagesMagic);
        IdxContent b = IdxReader.Read(gzNamedPlain, IdxReader.ImagesMagic);
        Assert.False(a.Gzipped);
        Assert.True(b.Gzipped);
        Assert.Equal(a.Data, b.Data);
    }

    [Fact]
    public void Content_hash_is_the_sha256_of_the_decompressed_file_whatever_the_compression()
    {
        // sha256sum images-3x2x4.idx3 (coreutils)
        const string Expected = "87931e7d8981185381ddb5080c5132d8719c079e64da079b1cf7d7e25c63574c";
        Assert.Equal(Expected, IdxReader.Read(TestData.Fixture("images-3x2x4.idx3"), IdxReader.ImagesMagic).ContentSha256);
        Assert.Equal(Expected, IdxReader.Read(TestData.Fixture("images-3x2x4.idx3.gz"), IdxReader.ImagesMagic).ContentSha256);
        Assert.Equal(new[] { 3, 2, 4 }, IdxReader.Read(TestData.Fixture("images-3x2x4.idx3.gz"), IdxReader.ImagesMagic).Dimensions);
    }

    [Fact]
    public void A_bad_magic_number_is_an_error_naming_the_file_and_the_value()
    {
        string path = TestData.Fixture("bad-magic.idx3");
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.Read(path, IdxReader.ImagesMagic));
        Assert.Contains(path, ex.Message);
        Assert.Contains("0x00000804", ex.Message);
        Assert.Contains("0x00000803", ex.Message);
    }

    [Fact]
    public void A_label_file_read_as_images_says_it_is_a_label_file()
    {
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadImageSet(TestData.Fixture("labels-as-images.idx3"), TestData.Fixture("labels-3.idx1")));
        Assert.Contains("0x00000801", ex.Message);
        Assert.Contains("label file", ex.Message);
    }

    [Fact]
    public void A_text_file_is_not_an_idx_file()
    {
        using var temp = new TestData.TempFolder();
        string path = temp.File("readme.txt");
        File.WriteAllText(path, "hello world");
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("not an IDX file", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("truncated.idx3")]
    [InlineData("truncated.idx3.gz")]
    public void A_truncated_file_is_an_error_giving_the_expected_and_found_sizes(string name)
    {
        string path = TestData.Fixture(name);
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.Read(path, IdxReader.ImagesMagic));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("24", ex.Message);
        Assert.Contains("20", ex.Message);
    }

    [Fact]
    public void A_file_ending_inside_the_header_is_truncated()
    {
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadLabels(TestData.Fixture("truncated-header.idx1")));
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("header", ex.Message);
    }

    [Fact]
    public void An_empty_file_is_truncated()
    {
        using var temp = new TestData.TempFolder();
        string path = temp.File("empty.idx1");
        File.WriteAllBytes(path, []);
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadLabels(path));
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("0 bytes", ex.Message);
    }

    [Fact]
    public void A_damaged_gzip_stream_is_an_error_naming_the_file()
    {
        string path = TestData.Fixture("cut.idx3.gz");
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.Read(path, IdxReader.ImagesMagic));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_data_are_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadLabels(TestData.Fixture("extra-bytes.idx1")));
        Assert.Contains("extra bytes", ex.Message);
    }

    [Fact]
    public void A_zero_dimension_is_an_error_quoting_it()
    {
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.Read(TestData.Fixture("zero-dim.idx3"), IdxReader.ImagesMagic));
        Assert.Contains("dimension 1 is 0", ex.Message);
    }

    [Fact]
    public void Image_and_label_counts_that_differ_are_an_error_naming_both_files_and_counts()
    {
        string images = TestData.Fixture("images-3x2x4.idx3");
        string labels = TestData.Fixture("labels-2.idx1");
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadImageSet(images, labels));
        Assert.Contains(images, ex.Message);
        Assert.Contains(labels, ex.Message);
        Assert.Contains("3 images but 2 labels", ex.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        string path = TestData.Fixture("no-such-file.idx1");
        var ex = Assert.Throws<LunaInputException>(() => IdxReader.ReadLabels(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("not found", ex.Message);
    }
}
