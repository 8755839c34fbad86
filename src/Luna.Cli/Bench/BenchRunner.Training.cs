using System.Diagnostics;
using System.Globalization;
using Luna.Cli.Pipeline;
using Luna.Core;
using Luna.Core.Data;
using Luna.Training;
using Luna.Training.Data;
using Luna.Training.Losses;
using TorchSharp;

namespace Luna.Cli.Bench;

/// <summary>The training scenario: the FMNIST-OLT network in TorchSharp against the same network in PyTorch.</summary>
internal sealed partial class BenchRunner
{
    private const int DefaultTrainingEpochs = 3;

    /// <summary>
    /// Trains the FMNIST-OLT network (seed 0's long-tailed training split, loss ce, the default recipe of
    /// <c>luna train</c>) for E epochs in this process and times every epoch and one inference pass over the test split;
    /// then the PyTorch peer (bench/peers/torch_train.py) does the same on the same images, written as .npy.
    /// </summary>
    private void RunTraining(CancellationToken cancellationToken)
    {
        int epochs = _settings.Epochs ?? DefaultTrainingEpochs;
        const string goal = "TorchSharp training time per epoch within 1.1× of PyTorch's (FMNIST-OLT network and data)";
        FmnistOltBenchmark benchmark;
        try
        {
            benchmark = FmnistOlt.Load(new FmnistOltOptions { Seed = 0 }, _settings.DataDirectory, _settings.MnistDirectory);
        }
        catch (LunaInputException error)
        {
            Notes.Add($"training skipped: {error.Message}");
            Goals.Add(new GoalVerdict(goal, "not measured: the FMNIST-OLT data was not found or not readable", null));
            return;
        }
        ImageData train = FmnistOltPipeline.ToImageData(benchmark.Train);
        ImageData test = FmnistOltPipeline.ToImageData(benchmark.Test);
        string x = Path("training_images.npy"), y = Path("training_labels.npy"), t = Path("training_test_images.npy");
        Npy.WriteMatrix(x, new FeatureMatrix(train.Pixels, train.Count, train.ImageSize));
        Npy.WriteLabels(y, train.Labels!);
        Npy.WriteMatrix(t, new FeatureMatrix(test.Pixels, test.Count, test.ImageSize));

        var options = new TrainingOptions { Loss = LossKind.Ce, Epochs = epochs, Seed = 0 };
        _log.WriteLine($"  running Luna: {epochs} epochs of {train.Count:N0} images, then inference on {test.Count:N0}");
        double[] lunaEpochs;
        StepPhases[] lunaPhases;
        double lunaInference;
        using (TrainedModel model = new FeatureTrainer(options).Fit(train, cancellationToken: cancellationToken))
        {
            lunaEpochs = model.History.Select(e => e.Seconds).ToArray();
            lunaPhases = model.History.Select(e => e.Phases!).ToArray();
            var watch = Stopwatch.StartNew();
            model.Extract(test, cancellationToken: cancellationToken);
            lunaInference = watch.Elapsed.TotalSeconds;
        }
        PeerResult pytorch = _peers.Run("pytorch", "torch_train.py",
            ["--train", x, "--labels", y, "--test", t, "--epochs", K(epochs), "--channels", K(train.Channels), "--height", K(train.Height), "--width", K(train.Width)],
            _log, cancellationToken, TorchSetup.AllocatorSettings);

        Markdown.Add($"### Training: the FMNIST-OLT network, {train.Count:N0} training images (seed 0's long-tailed split), {epochs} epochs; inference on the {test.Count:N0} test images");
        Markdown.Add("");
        Markdown.Add($"Both sides: `{nameof(Luna.Training.Models.SmallResNet)}` (3×3 stem of 32, three basic blocks 32/64/128 with stride 2, average pool, {options.FeatureDim}-d embedding, linear classifier), loss ce, SGD (momentum 0.9, weight decay 5e-4, lr 0.05, per-step cosine), batch {options.BatchSize}, random crop (padding 4) and horizontal flip, the training loss and accuracy read every batch; inference in batches of 256 under inference mode. The first epoch includes warm-up, so the per-epoch figure is the mean of the later ones. {AllocatorSentence()}");
        Markdown.Add("");
        Markdown.Add("| engine | first epoch s | later epochs: mean s | training images/s | inference s | inference images/s |");
        Markdown.Add("| --- | ---: | ---: | ---: | ---: | ---: |");
        double lunaEpoch = SteadyEpoch(lunaEpochs);
        Markdown.Add(TrainingRow($"Luna (TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads)", lunaEpochs, train.Count, lunaInference, test.Count));
        if (pytorch.Ran && pytorch.Epochs is { Length: > 0 } peerEpochs)
        {
            Markdown.Add(TrainingRow(pytorch.Note, peerEpochs, train.Count, pytorch.Score, test.Count));
            Markdown.Add("");
            double ratio = lunaEpoch / SteadyEpoch(peerEpochs);
            Markdown.Add(string.Create(CultureInfo.InvariantCulture, $"Luna's time per epoch is {ratio:F2}× PyTorch's; its inference time {lunaInference / pytorch.Score:F2}× PyTorch's."));
            Goals.Add(new GoalVerdict(goal, string.Create(CultureInfo.InvariantCulture, $"{ratio:F2}× PyTorch's time"), ratio <= 1.1));
            if (pytorch.Phases is { Length: > 0 } peerPhases)
            {
                AddPhaseTable(lunaPhases, peerPhases, (train.Count + options.BatchSize - 1) / options.BatchSize);
            }
        }
        else
        {
            string reason = pytorch.Ran ? "the peer reported no epochs" : pytorch.Skipped!;
            Markdown.Add("| PyTorch | – | – | – | – | – |");
            Notes.Add($"PyTorch skipped: {reason}.");
            Goals.Add(new GoalVerdict(goal, $"not measured: {reason}", null));
        }
        Markdown.Add("");
    }

    /// <summary>
    /// Where a training step's time goes on both sides: milliseconds per batch in each phase of <see cref="StepPhases"/>,
    /// over the epochs after the first. Backward runs entirely inside LibTorch (no TorchSharp call per layer), so a gap
    /// there is LibTorch's; a gap in forward or optimizer could also be TorchSharp's per-call cost.
    /// </summary>
    private void AddPhaseTable(StepPhases[] luna, StepPhases[] pytorch, int batchesPerEpoch)
    {
        double[] lunaMs = MsPerBatch(luna, batchesPerEpoch), peerMs = MsPerBatch(pytorch, batchesPerEpoch);
        var ratio = new string[lunaMs.Length];
        for (int i = 0; i < ratio.Length; i++)
        {
            ratio[i] = string.Create(CultureInfo.InvariantCulture, $"{lunaMs[i] / peerMs[i]:F2}×");
        }
        Markdown.Add("");
        Markdown.Add("Where a training step's time goes, milliseconds per batch over the epochs after the first (data: augmentation, normalisation and the copy into tensors; optimizer: zero_grad, the SGD step and the schedule; read: the loss and accuracy back to the host). Backward runs wholly inside LibTorch, so a gap there is LibTorch's (its version and build), not TorchSharp's.");
        Markdown.Add("");
        Markdown.Add("| engine | data | forward | backward | optimizer | read | sum of phases |");
        Markdown.Add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        Markdown.Add($"| Luna (TorchSharp) | {Cells(lunaMs)} |");
        Markdown.Add($"| PyTorch | {Cells(peerMs)} |");
        Markdown.Add($"| Luna ÷ PyTorch | {string.Join(" | ", ratio)} |");

        static string Cells(double[] ms) => string.Join(" | ", ms.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));
    }

    /// <summary>Data, forward, backward, optimizer, read and their sum, in milliseconds per batch of the epochs after the first.</summary>
    private static double[] MsPerBatch(StepPhases[] epochs, int batchesPerEpoch)
    {
        StepPhases[] steady = Steady(epochs);
        double scale = 1000.0 / (steady.Length * batchesPerEpoch);
        return
        [
            steady.Sum(p => p.Data) * scale, steady.Sum(p => p.Forward) * scale, steady.Sum(p => p.Backward) * scale,
            steady.Sum(p => p.Optimizer) * scale, steady.Sum(p => p.Read) * scale, steady.Sum(p => p.Total) * scale,
        ];
    }

    /// <summary>One sentence on the glibc allocator settings both sides ran with.</summary>
    private static string AllocatorSentence()
    {
        IReadOnlyDictionary<string, string> settings = TorchSetup.AllocatorSettings;
        return settings.Count == 0
            ? "Luna left glibc's allocator at its defaults (not glibc, or the MALLOC_* variables were set by the user; the peer inherits them)."
            : $"Both sides ran with the glibc allocator settings Luna applies to its own process ({string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}; the peer through these environment variables), which keep tensor buffers in the heap between steps.";
    }

    /// <summary>The mean of the epochs after the first (the first pays for warm-up), or the only epoch.</summary>
    private static double SteadyEpoch(double[] epochs) => Steady(epochs).Average();

    /// <summary>The epochs after the first (the first pays for warm-up), or the only epoch.</summary>
    private static T[] Steady<T>(T[] epochs) => epochs.Length == 1 ? epochs : epochs[1..];

    private static string TrainingRow(string name, double[] epochs, int trainImages, double inference, int testImages)
    {
        double steady = SteadyEpoch(epochs);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Peers.Seconds(epochs[0])} | {Peers.Seconds(steady)} | {trainImages / steady:F0} | {Peers.Seconds(inference)} | {testImages / inference:F0} |");
    }
}
