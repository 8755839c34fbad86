using System.Diagnostics;
using Luna.Core;
using Luna.Training.Data;
using Luna.Training.Losses;
using Luna.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training;

/// <summary>
/// Trains a <see cref="SmallResNet"/> with the objective of <see cref="TrainingOptions.Loss"/> and returns the fitted
/// model. On the CPU a run is deterministic for a seed: <c>torch.manual_seed(Seed)</c> fixes the initial weights,
/// <c>new Random(Seed)</c> the order of the images in every epoch (Fisher–Yates), <c>new Random(Seed + 1)</c> the
/// augmentation.
/// </summary>
public sealed class FeatureTrainer
{
    /// <summary>Creates a trainer with checked options.</summary>
    /// <exception cref="LunaInputException">An option is out of range.</exception>
    public FeatureTrainer(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The options of every run of this trainer.</summary>
    public TrainingOptions Options { get; }

    /// <summary>
    /// Trains on <paramref name="train"/> (labels 0..K-1, every class present). One dispose scope per batch; for each
    /// batch: zero_grad, forward, objective, backward, optimizer step, center update. Cancellation is honoured between
    /// batches (an <see cref="OperationCanceledException"/> is thrown and nothing is returned).
    /// </summary>
    /// <param name="train">Training images with labels.</param>
    /// <param name="normalization">Input normalisation; null fits it on <paramref name="train"/>.</param>
    /// <param name="progress">Receives a report after every batch; may be null.</param>
    /// <param name="cancellationToken">Stops the run between batches.</param>
    /// <returns>The trained model in evaluation mode; the caller disposes it.</returns>
    /// <exception cref="LunaInputException">The images or labels cannot be trained on, or CUDA was asked for but is absent.</exception>
    public TrainedModel Fit(ImageData train, Normalization? normalization = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        int[] counts = train.TrainingClassCounts();
        int[] labels = train.Labels!;
        normalization ??= Normalization.Fit(train);
        normalization.Validate(train.Channels);
        Device device = TorchSetup.SelectDevice(Options.Device);

        torch.manual_seed(Options.Seed);
        var model = new SmallResNet(train.Channels, Options.FeatureDim, counts.Length);
        TrainingObjective? objective = null;
        optim.Optimizer? optimizer = null;
        try
        {
            model.to(device);
            objective = TrainingObjective.Create(Options, counts);
            objective.To(device);
            optimizer = Options.Optimizer == OptimizerKind.Adam
                ? optim.Adam(model.parameters(), Options.EffectiveLearningRate, weight_decay: Options.EffectiveWeightDecay)
                : optim.SGD(model.parameters(), Options.EffectiveLearningRate, momentum: TrainingOptions.Defaults.Momentum, weight_decay: Options.EffectiveWeightDecay);

            var history = RunEpochs(train, labels, normalization, model, objective, optimizer, device, progress, cancellationToken);
            model.eval();
            float[] centers = objective.CenterLoss is null ? new float[counts.Length * Options.FeatureDim] : ReadCenters(objective.CenterLoss);
            double[] lambda = objective.CenterLoss is null ? Ones(counts.Length) : ReadLambda(objective.CenterLoss);
            var fitted = new TrainedModel(model, device, Options, counts, lambda, normalization, centers, train.Height, train.Width, history);
            model = null!;
            return fitted;
        }
        finally
        {
            optimizer?.Dispose();
            objective?.Dispose();
            model?.Dispose();
        }
    }

    private List<EpochSummary> RunEpochs(
        ImageData train, int[] labels, Normalization normalization, SmallResNet model, TrainingObjective objective,
        optim.Optimizer optimizer, Device device, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int n = train.Count;
        int batchSize = Math.Min(Options.BatchSize, n);
        int batches = (n + batchSize - 1) / batchSize;
        int totalSteps = batches * Options.Epochs;
        var assembler = new BatchAssembler(train, normalization);
        var shuffleRandom = new Random(Options.Seed);
        Random? augmentRandom = Options.Augment ? new Random(unchecked(Options.Seed + 1)) : null;
        var order = new int[n];
        var batchLabels = new long[batchSize];
        var history = new List<EpochSummary>(Options.Epochs);
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        model.train();
        int step = 0;
        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            Shuffle(order, shuffleRandom);
            double lossSum = 0;
            long correct = 0;
            int seen = 0;
            double lr = 0;
            long data = 0, forward = 0, backward = 0, optimizing = 0, read = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long t0 = Stopwatch.GetTimestamp();
                int start = b * batchSize;
                int m = Math.Min(batchSize, n - start);
                ReadOnlySpan<int> indices = order.AsSpan(start, m);
                var pixels = new float[m * train.ImageSize];
                assembler.Fill(indices, pixels, augmentRandom, Options.CropPadding);
                for (int i = 0; i < m; i++)
                {
                    batchLabels[i] = labels[indices[i]];
                }
                lr = LearningRateSchedule.At(Options, step, totalSteps, epoch);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = lr;
                }

                using (var scope = NewDisposeScope())
                {
                    Tensor x = tensor(pixels, new long[] { m, train.Channels, train.Height, train.Width }).to(device);
                    Tensor y = tensor(batchLabels.AsSpan(0, m).ToArray(), new long[] { m }).to(device);
                    long t1 = Stopwatch.GetTimestamp();
                    optimizer.zero_grad();
                    long t2 = Stopwatch.GetTimestamp();
                    (Tensor features, Tensor logits) = model.forward(x);
                    Tensor loss = objective.Forward(features, logits, y);
                    long t3 = Stopwatch.GetTimestamp();
                    loss.backward();
                    long t4 = Stopwatch.GetTimestamp();
                    optimizer.step();
                    objective.AfterStep(features.detach(), y);
                    long t5 = Stopwatch.GetTimestamp();
                    lossSum += loss.item<float>() * m;
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    long t6 = Stopwatch.GetTimestamp();
                    data += t1 - t0;
                    optimizing += (t2 - t1) + (t5 - t4);
                    forward += t3 - t2;
                    backward += t4 - t3;
                    read += t6 - t5;
                }
                seen += m;
                step++;
                progress?.Report(new TrainingProgress(epoch, Options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, lr, clock.Elapsed));
            }
            history.Add(new EpochSummary(epoch, lossSum / seen, (double)correct / seen, clock.Elapsed.TotalSeconds)
            {
                Phases = new StepPhases(Seconds(data), Seconds(forward), Seconds(backward), Seconds(optimizing), Seconds(read)),
            });
        }
        return history;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private static void Shuffle(int[] order, Random random)
    {
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    private static float[] ReadCenters(WeightedCenterLoss loss)
    {
        using Tensor cpu = loss.Centers.detach().cpu();
        return cpu.data<float>().ToArray();
    }

    private static double[] ReadLambda(WeightedCenterLoss loss)
    {
        using Tensor cpu = loss.Lambda.detach().cpu().to(ScalarType.Float64);
        return cpu.data<double>().ToArray();
    }

    private static double[] Ones(int count)
    {
        var ones = new double[count];
        Array.Fill(ones, 1.0);
        return ones;
    }
}
