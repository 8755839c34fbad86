using System.Text.Json.Nodes;
using Luna.Core;
using Luna.Core.Bundles;
using Luna.Core.Prediction;
using Luna.Training;
using Luna.Vision.Images;
using Luna.Vision.Models;
using Luna.Vision.Sources;

namespace Luna.Vision.Tests.Models;

public class ImageModelTests
{
    private static readonly Dictionary<int, int> s_counts = new() { [0] = 40, [5] = 20, [8] = 10, [9] = 10 };

    [Fact]
    public void A_resnet18_model_saved_and_loaded_gives_the_same_answers()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, s_counts, [0, 1, 5], 6);
        var options = new ImageTrainingOptions
        {
            Backbone = BackboneKind.ResNet18ImageNet,
            Training = new TrainingOptions { Epochs = 20, BatchSize = 16, FeatureDim = 32 },
            CacheDirectory = temp.File("cache"),
        };
        ImageCollection train = ImageFolder.Read(temp.File("train"));
        string[] test = ImageFolder.ImageFiles(temp.File("test"));
        (string, OpenSetPrediction)[] before;
        using (ImageModel model = ImageModel.Fit(train, null, options))
        {
            Assert.Equal(["bag", "boot", "sandal", "tshirt"], model.ClassNames);
            // v_c = min(20, n_c / 5): 2, 2, 4, 8 held out of 10, 10, 20, 40.
            Assert.Equal([8, 8, 16, 32], model.TrainCounts);
            Assert.Equal(16, model.Validation.Labels.Length);
            Assert.Equal(32, model.Train.Features.Columns);
            before = model.Predict(test, BadImagePolicy.Fail);
            model.Save(temp.File("m.luna"));
        }
        using ImageModel loaded = ImageModel.Load(temp.File("m.luna"), cacheDirectory: temp.File("cache"));
        (string, OpenSetPrediction)[] after = loaded.Predict(test, BadImagePolicy.Fail);
        Assert.Equal(before, after);
        Assert.Equal(18, after.Length);
        ModelBundle bundle = ModelBundle.Read(temp.File("m.luna"));
        Assert.Equal("resnet18-imagenet", bundle.Manifest["backbone"]!["id"]!.GetValue<string>());
        Assert.Equal(loaded.Predictor.Rule.Threshold, bundle.Manifest["decision"]!["threshold"]!.GetValue<double>());
        Assert.Contains("head/projection_weight.npy", bundle.EntryNames);
        Assert.Contains("reference/train.features.npy", bundle.EntryNames);
    }

    [Fact]
    public void A_small_resnet_model_saved_and_loaded_gives_the_same_features_and_answers()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, new Dictionary<int, int> { [1] = 15, [8] = 15 }, [1, 8], 3);
        var options = new ImageTrainingOptions
        {
            Backbone = BackboneKind.SmallResNet,
            ImageSize = 16,
            Training = new TrainingOptions { Epochs = 2, BatchSize = 8, FeatureDim = 8 },
        };
        string[] test = ImageFolder.ImageFiles(temp.File("test"));
        ImageFeatures before;
        (string, OpenSetPrediction)[] answers;
        using (ImageModel model = ImageModel.Fit(ImageFolder.Read(temp.File("train")), null, options))
        {
            Assert.Equal(3, model.Info["backbone"]!["input"]!["channels"]!.GetValue<int>());
            before = model.Extract(test, BadImagePolicy.Fail);
            answers = model.Predict(test, BadImagePolicy.Fail);
            model.Save(temp.File("m.luna"));
        }
        using ImageModel loaded = ImageModel.Load(temp.File("m.luna"));
        ImageFeatures after = loaded.Extract(test, BadImagePolicy.Fail);
        Assert.Equal(before.Features.Array, after.Features.Array);
        Assert.Equal(before.Logits.Array, after.Logits.Array);
        Assert.Equal(answers, loaded.Predict(test, BadImagePolicy.Fail));
    }

    [Fact]
    public void A_model_whose_onnx_checksum_differs_from_the_installed_backbone_is_refused()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, new Dictionary<int, int> { [1] = 10, [8] = 10 }, [], 0);
        var options = new ImageTrainingOptions { Training = new TrainingOptions { Epochs = 2, FeatureDim = 8 }, CacheDirectory = temp.File("cache") };
        using (ImageModel model = ImageModel.Fit(ImageFolder.Read(temp.File("train")), null, options))
        {
            model.Info["backbone"]!["files"]!["ResNet18.onnx"] = new string('0', 64);
            model.Save(temp.File("m.luna"));
        }
        var e = Assert.Throws<LunaInputException>(() => ImageModel.Load(temp.File("m.luna")));
        Assert.Contains("was trained on a resnet18-imagenet whose ResNet18.onnx has SHA-256 000000000000…", e.Message);
    }

    [Fact]
    public void A_skipped_undecodable_image_takes_no_validation_place()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, new Dictionary<int, int> { [0] = 34, [1] = 20 }, [], 0);
        File.WriteAllText(temp.File("train", "tshirt", "0000-broken.png"), "not a png");
        var options = new ImageTrainingOptions { OnBadImage = BadImagePolicy.Skip, Training = new TrainingOptions { Epochs = 1 }, CacheDirectory = temp.File("cache") };

        using ImageModel model = ImageModel.Fit(ImageFolder.Read(temp.File("train")), null, options);

        // Classes trouser, tshirt. The readable images alone, 20 and 34: a fifth held out, 4 and 6 (counting the broken
        // file, tshirt's 35 would give 7).
        Assert.Equal("[\"trouser\",\"tshirt\"]", model.Info["classNames"]!.ToJsonString());
        Assert.Equal("[16,28]", model.Info["trainCounts"]!.ToJsonString());
        Assert.Equal("[4,6]", model.Info["validationCounts"]!.ToJsonString());
        Assert.Single(model.Info["data"]!["skippedImages"]!.AsArray());
    }

    [Fact]
    public void Cuda_on_a_machine_without_it_is_bad_input_before_any_image_is_read()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, new Dictionary<int, int> { [0] = 10, [1] = 10 }, [], 0);
        File.WriteAllText(temp.File("train", "tshirt", "0000-broken.png"), "not a png");
        var options = new ImageTrainingOptions { Training = new TrainingOptions { Epochs = 1, Device = DeviceKind.Cuda }, CacheDirectory = temp.File("cache") };

        var e = Assert.Throws<LunaInputException>(() => ImageModel.Fit(ImageFolder.Read(temp.File("train")), null, options));

        // Not the broken image's error: the device was checked first.
        Assert.StartsWith("--device: value 'cuda' is not available", e.Message);
        Assert.False(Directory.Exists(temp.File("cache")));
    }

    [Fact]
    public void Classes_too_small_to_hold_out_validation_are_bad_input_before_any_image_is_read()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, new Dictionary<int, int> { [0] = 2, [1] = 2 }, [], 0);
        var options = new ImageTrainingOptions { Training = new TrainingOptions { Epochs = 1 }, CacheDirectory = temp.File("cache") };

        var e = Assert.Throws<LunaInputException>(() => ImageModel.Fit(ImageFolder.Read(temp.File("train")), null, options));

        Assert.EndsWith("no validation images could be held out (every class has fewer than 3 readable images); give a validation split with --validation", e.Message);
        Assert.False(Directory.Exists(temp.File("cache")));
    }

    [Fact]
    public void A_class_whose_images_are_all_undecodable_is_bad_input_naming_it()
    {
        using var temp = new TempFolder();
        FashionImageFolder.Write(temp.Path, new Dictionary<int, int> { [1] = 10 }, [], 0);
        Directory.CreateDirectory(temp.File("train", "ghost"));
        File.WriteAllText(temp.File("train", "ghost", "a.png"), "not a png");
        var options = new ImageTrainingOptions { OnBadImage = BadImagePolicy.Skip, Training = new TrainingOptions { Epochs = 1 }, CacheDirectory = temp.File("cache") };
        var e = Assert.Throws<LunaInputException>(() => ImageModel.Fit(ImageFolder.Read(temp.File("train")), null, options));
        Assert.EndsWith("class 'ghost' has no usable training image", e.Message);
    }
}
