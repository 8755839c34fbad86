using System.Numerics.Tensors;
using Luna.Core.Bundles;
using Luna.Core.Data;
using Luna.Vision.Backbones;
using Luna.Vision.Images;

namespace Luna.Vision.Tests.Backbones;

public class ResNet18BackboneTests
{
    private static readonly Lazy<(byte[] Shoe, byte[] ShoeResized, byte[] Bag)> s_images = new(() =>
    {
        FashionMnistFiles files = DataLocator.FromProcessEnvironment().LocateFashionMnist();
        ImageSet test = IdxReader.ReadImageSet(files.TestImages, files.TestLabels);
        int shoe = Enumerable.Range(0, test.Count).First(i => test.Labels[i] == 9);
        int bag = Enumerable.Range(0, test.Count).First(i => test.Labels[i] == 8);
        return (
            FashionImageFolder.Encode(test.Image(shoe), 36, png: true, colour: false),
            FashionImageFolder.Encode(test.Image(shoe), 38, png: true, colour: false),
            FashionImageFolder.Encode(test.Image(bag), 36, png: true, colour: false));
    });

    [Fact]
    public void The_packaged_graphs_are_found_with_their_published_checksums_and_shapes()
    {
        using ResNet18Backbone backbone = ResNet18Backbone.Open();
        // sha256sum of the two files in the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (tools/DnnImageModels/).
        Assert.Equal("e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f", backbone.ModelSha256);
        Assert.Equal("84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004", backbone.PreprocessSha256);
        Assert.Equal("resnet18-imagenet-e2552f19db2dfdb0-84bf8def-r1", backbone.CacheKey);
    }

    [Fact]
    public void A_missing_model_folder_is_bad_input_saying_where_the_files_come_from()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<Luna.Core.LunaInputException>(() => ResNet18Backbone.Open(temp.Path));
        Assert.Contains("ResNet18.onnx: not found", e.Message);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0", e.Message);
    }

    [Fact]
    public void The_features_of_an_image_and_of_its_exact_copy_are_identical_and_of_a_slightly_resized_copy_close()
    {
        using var temp = new TempFolder();
        (byte[] shoe, byte[] resized, byte[] bag) = s_images.Value;
        File.WriteAllBytes(temp.File("shoe.png"), shoe);
        File.WriteAllBytes(temp.File("copy-of-shoe.png"), shoe);
        File.WriteAllBytes(temp.File("shoe-38px.png"), resized);
        File.WriteAllBytes(temp.File("bag.png"), bag);
        using ResNet18Backbone backbone = ResNet18Backbone.Open();
        FrozenFeatures f = ImageFeatureExtraction.ResNet18(backbone, null, [temp.File("shoe.png"), temp.File("copy-of-shoe.png"), temp.File("shoe-38px.png"), temp.File("bag.png")], BadImagePolicy.Fail);
        Assert.Equal(4, f.Extracted);
        Assert.Equal(f.Features.Row(0).ToArray(), f.Features.Row(1).ToArray());
        Assert.All(f.Features.Row(0).ToArray(), v => Assert.True(float.IsFinite(v) && v >= 0, $"pooled ReLU features are finite and ≥ 0, got {v}"));
        double resizedSimilarity = TensorPrimitives.CosineSimilarity(f.Features.Row(0), f.Features.Row(2));
        double bagSimilarity = TensorPrimitives.CosineSimilarity(f.Features.Row(0), f.Features.Row(3));
        Assert.InRange(resizedSimilarity, 0.95, 1.0);
        Assert.True(resizedSimilarity > bagSimilarity + 0.05, $"resized copy {resizedSimilarity:F4} should be clearly closer than another class {bagSimilarity:F4}");
        Assert.NotEqual(f.Features.Row(0).ToArray(), f.Features.Row(2).ToArray());
    }

    [Fact]
    public void A_second_run_takes_every_feature_from_the_cache_and_gets_the_same_features()
    {
        using var temp = new TempFolder();
        (byte[] shoe, byte[] resized, byte[] bag) = s_images.Value;
        string[] paths = [temp.File("a.png"), temp.File("b.png"), temp.File("c.png")];
        File.WriteAllBytes(paths[0], shoe);
        File.WriteAllBytes(paths[1], resized);
        File.WriteAllBytes(paths[2], bag);
        using ResNet18Backbone backbone = ResNet18Backbone.Open();
        var cache = new FeatureCache(temp.File("cache"), backbone.CacheKey, ResNet18Backbone.FeatureDim);
        FrozenFeatures first = ImageFeatureExtraction.ResNet18(backbone, cache, paths, BadImagePolicy.Fail);
        FrozenFeatures second = ImageFeatureExtraction.ResNet18(backbone, cache, paths, BadImagePolicy.Fail);
        Assert.Equal((3, 0), (first.Extracted, first.FromCache));
        Assert.Equal((0, 3), (second.Extracted, second.FromCache));
        Assert.Equal(first.Features.Array, second.Features.Array);
        string key = ModelBundle.Sha256(shoe);
        Assert.True(File.Exists(Path.Combine(cache.Folder, key[..2], key + ".f32")));
        // A changed file is a new key: extracted again, the others still cached.
        File.WriteAllBytes(paths[1], bag);
        FrozenFeatures third = ImageFeatureExtraction.ResNet18(backbone, cache, paths, BadImagePolicy.Fail);
        Assert.Equal((0, 3), (third.Extracted, third.FromCache));
        Assert.Equal(first.Features.Row(2).ToArray(), third.Features.Row(1).ToArray());
    }

    [Fact]
    public void Undecodable_files_stop_the_run_or_are_skipped_by_path()
    {
        using var temp = new TempFolder();
        (byte[] shoe, _, byte[] bag) = s_images.Value;
        string[] paths = [temp.File("a.png"), temp.File("broken.jpg"), temp.File("c.png")];
        File.WriteAllBytes(paths[0], shoe);
        File.WriteAllText(paths[1], "not a jpeg");
        File.WriteAllBytes(paths[2], bag);
        using ResNet18Backbone backbone = ResNet18Backbone.Open();
        var e = Assert.Throws<Luna.Core.LunaInputException>(() => ImageFeatureExtraction.ResNet18(backbone, null, paths, BadImagePolicy.Fail));
        Assert.Equal($"{paths[1]}: cannot be decoded: not a PNG, JPEG, BMP or WebP image (use --on-bad-image skip to leave such files out)", e.Message);
        FrozenFeatures f = ImageFeatureExtraction.ResNet18(backbone, null, paths, BadImagePolicy.Skip);
        Assert.Equal([0, 2], f.Kept);
        Assert.Equal(2, f.Features.Rows);
        Assert.Equal(paths[1], Assert.Single(f.Skipped).Path);
    }
}
