using Luna.Core;
using Luna.Core.Data;
using Luna.Training.Data;
using Luna.Training.Losses;
using TorchSharp;

namespace Luna.Training.Tests.Training;

public class FeatureTrainerTests
{
    private static readonly ImageData s_tiny = TestData.Bars(new[] { 12, 8, 4 }, 12, seed: 3);

    [Fact]
    public void Loss_falls_over_20_steps_on_a_tiny_batch()
    {
        var options = new TrainingOptions { Epochs = 20, BatchSize = 24, Augment = false, FeatureDim = 16, Seed = 5 };

        using TrainedModel model = new FeatureTrainer(options).Fit(s_tiny);

        Assert.Equal(20, model.History.Count);
        double first = model.History[0].Loss;
        double last = model.History[^1].Loss;
        Assert.True(last < 0.3 * first, $"loss went from {first} to {last}");
        Assert.Equal(1.0, model.History[^1].Accuracy);
    }

    [Fact]
    public void Training_moves_the_centers_toward_the_class_means_of_the_features()
    {
        var options = new TrainingOptions { Epochs = 20, BatchSize = 24, Augment = false, FeatureDim = 16, Seed = 5 };
        using TrainedModel model = new FeatureTrainer(options).Fit(s_tiny);

        // The centers follow the features as training computes them (training-mode batch norm, one batch of all 24 images).
        FeatureMatrix features = TrainingModeFeatures(model, s_tiny);
        FeatureMatrix centers = model.Centers;
        float[][] means = ClassMeans(features, s_tiny.Labels!, model.ClassCount);

        for (int j = 0; j < model.ClassCount; j++)
        {
            // centers start at 0: they must have moved most of the way to their own class mean, and be nearest to it
            double start = Distance(new float[features.Columns], means[j]);
            double now = Distance(centers.Row(j).ToArray(), means[j]);
            Assert.True(now < 0.25 * start, $"class {j}: distance to its mean {now}, at the start {start}");
            for (int other = 0; other < model.ClassCount; other++)
            {
                if (other != j)
                {
                    Assert.True(now < Distance(centers.Row(j).ToArray(), means[other]), $"center {j} is nearer class {other}'s mean");
                }
            }
        }
    }

    [Fact]
    public void Two_runs_with_the_same_seed_are_identical_and_another_seed_differs()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 8, FeatureDim = 8, Seed = 11 };

        ExtractedFeaturesAndLosses a = Run(options);
        ExtractedFeaturesAndLosses b = Run(options);
        ExtractedFeaturesAndLosses c = Run(options with { Seed = 12 });

        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Centers, b.Centers);
        Assert.NotEqual(a.Features, c.Features);
    }

    [Fact]
    public void Progress_is_reported_after_every_batch()
    {
        var reports = new List<TrainingProgress>();
        var options = new TrainingOptions { Epochs = 2, BatchSize = 10, FeatureDim = 8, Loss = LossKind.Ce };

        using TrainedModel model = new FeatureTrainer(options).Fit(s_tiny, progress: new SyncProgress(reports.Add));

        // 24 images in batches of 10: 3 batches per epoch
        Assert.Equal(6, reports.Count);
        Assert.Equal(new[] { (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3) }, reports.Select(r => (r.Epoch, r.Batch)));
        Assert.All(reports, r => Assert.Equal(3, r.Batches));
        Assert.All(reports, r => Assert.InRange(r.Accuracy, 0.0, 1.0));
        Assert.Equal(model.History[0].Loss, reports[2].Loss, 12);
    }

    [Fact]
    public void Every_epoch_says_where_its_time_went_within_its_wall_clock_time()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 10, FeatureDim = 8, Loss = LossKind.WCenter };

        using TrainedModel model = new FeatureTrainer(options).Fit(s_tiny);

        Assert.All(model.History, epoch =>
        {
            StepPhases phases = Assert.IsType<StepPhases>(epoch.Phases);
            Assert.All(new[] { phases.Data, phases.Forward, phases.Backward, phases.Optimizer, phases.Read }, t => Assert.True(t > 0, $"phase {t} s"));
            Assert.Equal(phases.Data + phases.Forward + phases.Backward + phases.Optimizer + phases.Read, phases.Total, 12);
            Assert.InRange(phases.Total, 0, epoch.Seconds);
        });
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        using var cancel = new CancellationTokenSource();
        int reports = 0;
        var options = new TrainingOptions { Epochs = 5, BatchSize = 10, FeatureDim = 8 };

        Assert.ThrowsAny<OperationCanceledException>(() => new FeatureTrainer(options).Fit(
            s_tiny, progress: new SyncProgress(_ =>
            {
                reports++;
                cancel.Cancel();
            }), cancellationToken: cancel.Token));

        Assert.Equal(1, reports);
    }

    [Fact]
    public void Asking_for_cuda_without_it_is_an_input_error()
    {
        var trainer = new FeatureTrainer(new TrainingOptions { Device = DeviceKind.Cuda });
        var error = Assert.Throws<LunaInputException>(() => trainer.Fit(s_tiny));
        Assert.StartsWith("--device: value 'cuda' is not available", error.Message);
    }

    [Fact]
    public void Images_of_another_shape_cannot_be_extracted()
    {
        using TrainedModel model = new FeatureTrainer(new TrainingOptions { Epochs = 1, FeatureDim = 8 }).Fit(s_tiny);
        var other = new ImageData(new float[2 * 28 * 28], 2, 1, 28, 28, null);

        var error = Assert.Throws<LunaInputException>(() => model.Extract(other));

        Assert.Equal("images: shape 1×28×28 differs from the model's training images 1×12×12", error.Message);
    }

    private static ExtractedFeaturesAndLosses Run(TrainingOptions options)
    {
        using TrainedModel model = new FeatureTrainer(options).Fit(s_tiny);
        return new ExtractedFeaturesAndLosses(
            model.History.Select(h => h.Loss).ToArray(), model.Extract(s_tiny).Features.Array, model.Centers.Array);
    }

    private static FeatureMatrix TrainingModeFeatures(TrainedModel model, ImageData images)
    {
        var pixels = new float[images.Pixels.Length];
        new BatchAssembler(images, model.Normalization).Fill(Enumerable.Range(0, images.Count).ToArray(), pixels, random: null, padding: 0);
        model.Network.train();
        try
        {
            using var noGrad = torch.no_grad();
            using var x = torch.tensor(pixels, new long[] { images.Count, images.Channels, images.Height, images.Width });
            (torch.Tensor f, torch.Tensor logits) = model.Network.forward(x);
            using (f)
            using (logits)
            {
                return new FeatureMatrix(f.data<float>().ToArray(), images.Count, model.FeatureDim);
            }
        }
        finally
        {
            model.Network.eval();
        }
    }

    private static float[][] ClassMeans(FeatureMatrix features, int[] labels, int k)
    {
        var means = new float[k][];
        var counts = new int[k];
        for (int j = 0; j < k; j++)
        {
            means[j] = new float[features.Columns];
        }
        for (int i = 0; i < labels.Length; i++)
        {
            counts[labels[i]]++;
            for (int t = 0; t < features.Columns; t++)
            {
                means[labels[i]][t] += features[i, t];
            }
        }
        for (int j = 0; j < k; j++)
        {
            for (int t = 0; t < features.Columns; t++)
            {
                means[j][t] /= counts[j];
            }
        }
        return means;
    }

    private static double Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (double)(a[i] - b[i]);
        }
        return Math.Sqrt(sum);
    }

    private sealed record ExtractedFeaturesAndLosses(double[] Losses, float[] Features, float[] Centers);

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
