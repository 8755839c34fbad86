using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

/// <summary>Smoke tests on the real Fashion-MNIST files; they fail (not skip) when the files are absent.</summary>
public class FashionMnistRealDataTests
{
    [Fact]
    public void Real_files_hold_60000_training_and_10000_test_images_balanced_over_ten_classes()
    {
        FashionMnistFiles files = TestData.RequireFashionMnist();
        ImageSet train = IdxReader.ReadImageSet(files.TrainImages, files.TrainLabels);
        ImageSet test = IdxReader.ReadImageSet(files.TestImages, files.TestLabels);
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(28, train.Height);
        Assert.Equal(28, train.Width);
        Assert.Equal(Enumerable.Repeat(6_000, 10), Histogram(train));
        Assert.Equal(Enumerable.Repeat(1_000, 10), Histogram(test));
    }

    [Fact]
    public void Real_files_have_the_content_checksums_that_get_data_checks()
    {
        // Expected values: zcat FILE.gz | sha256sum on the Debian package's files (the same content as the official downloads).
        FashionMnistFiles files = TestData.RequireFashionMnist();
        Assert.Equal(FashionMnist.ContentSha256[FashionMnist.TrainImagesFile], IdxReader.Read(files.TrainImages, IdxReader.ImagesMagic).ContentSha256);
        Assert.Equal(FashionMnist.ContentSha256[FashionMnist.TrainLabelsFile], IdxReader.Read(files.TrainLabels, IdxReader.LabelsMagic).ContentSha256);
        Assert.Equal(FashionMnist.ContentSha256[FashionMnist.TestImagesFile], IdxReader.Read(files.TestImages, IdxReader.ImagesMagic).ContentSha256);
        Assert.Equal(FashionMnist.ContentSha256[FashionMnist.TestLabelsFile], IdxReader.Read(files.TestLabels, IdxReader.LabelsMagic).ContentSha256);
    }

    [Fact]
    public void The_checksums_in_the_library_and_in_get_data_sh_are_the_same()
    {
        string script = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "scripts", "get-data.sh"));
        foreach ((string name, string sha) in FashionMnist.ContentSha256)
        {
            Assert.Contains($"{name}) echo {sha} ;;", script);
        }
    }

    private static int[] Histogram(ImageSet set)
    {
        var counts = new int[10];
        foreach (int label in set.Labels)
        {
            counts[label]++;
        }
        return counts;
    }
}
