using Luna.Core;
using Luna.Training.Data;
using Luna.Training.Extraction;
using Luna.Training.Losses;

namespace Luna.Training.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private static readonly ImageData s_tiny = TestData.Bars(new[] { 10, 6, 3 }, 12, seed: 9);
    private readonly string _folder = Directory.CreateTempSubdirectory("luna-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_round_trip_restores_the_model_bit_for_bit()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8, FeatureDim = 8, Loss = LossKind.WCenter, Seed = 4, Schedule = ScheduleKind.Step };
        string path = Path.Combine(_folder, "model.ckpt");
        using TrainedModel trained = new FeatureTrainer(options).Fit(s_tiny);
        ExtractedFeatures before = trained.Extract(s_tiny);

        trained.Save(path);
        using TrainedModel loaded = TrainedModel.Load(path);
        ExtractedFeatures after = loaded.Extract(s_tiny);

        Assert.Equal(before.Features.Array, after.Features.Array);
        Assert.Equal(before.Logits.Array, after.Logits.Array);
        Assert.Equal(trained.Centers.Array, loaded.Centers.Array);
        Assert.Equal(trained.Options, loaded.Options);
        Assert.Equal(trained.ClassCounts, loaded.ClassCounts);
        Assert.Equal(trained.ClassWeights, loaded.ClassWeights);
        Assert.Equal(trained.Normalization.Mean, loaded.Normalization.Mean);
        Assert.Equal(trained.Normalization.Std, loaded.Normalization.Std);
        Assert.Equal(trained.History, loaded.History);
        var trainedState = trained.Network.state_dict();
        var loadedState = loaded.Network.state_dict();
        Assert.Equal(trainedState.Keys, loadedState.Keys);
        foreach (string key in trainedState.Keys)
        {
            Assert.True(trainedState[key].bytes.SequenceEqual(loadedState[key].bytes), key);
        }
        Assert.Equal(new[] { "model.ckpt" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_named()
    {
        string path = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(path, "hello, this is not a checkpoint");

        var error = Assert.Throws<LunaInputException>(() => TrainedModel.Load(path));

        Assert.Equal($"{path}: not a Luna checkpoint (the file does not start with LUNACKPT)", error.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_reported_as_damaged()
    {
        string path = Path.Combine(_folder, "model.ckpt");
        using (TrainedModel trained = new FeatureTrainer(new TrainingOptions { Epochs = 1, FeatureDim = 8 }).Fit(s_tiny))
        {
            trained.Save(path);
        }
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<LunaInputException>(() => TrainedModel.Load(path));

        Assert.StartsWith($"{path}: damaged checkpoint", error.Message);
    }

    [Fact]
    public void A_missing_checkpoint_is_named()
    {
        string path = Path.Combine(_folder, "absent.ckpt");
        var error = Assert.Throws<LunaInputException>(() => TrainedModel.Load(path));
        Assert.Equal($"{path}: checkpoint file not found", error.Message);
    }
}
