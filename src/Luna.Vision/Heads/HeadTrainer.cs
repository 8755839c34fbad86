using System.Diagnostics;
using Luna.Core;
using Luna.Core.Data;
using Luna.Training;
using Luna.Training.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luna.Vision.Heads;

/// <summary>A head trained on frozen features, with what its training produced.</summary>
/// <param name="Head">The weights.</param>
/// <param name="History">Loss, accuracy and seconds of every epoch.</param>
/// <param name="ClassCounts">Training inputs per class, K.</param>
/// <param name="ClassWeights">lambda_j of the center term (all 1 for ce and center), K.</param>
/// <param name="Centers">The class centers c_j, K × D (zeros for losses without centers).</param>
public sealed record TrainedHead(LinearHead Head, IReadOnlyList<EpochSummary> History, int[] ClassCounts, double[] ClassWeights, FeatureMatrix Centers);

/// <summary>
/// Trains a <see cref="LinearHead"/> on frozen backbone features with the objective of <see cref="TrainingOptions.Loss"/>
/// (ce, center, wcenter, focal, balanced softmax; docs/method.md on the head's features f), on TorchSharp.
/// </summary>
/// <remarks>
/// The loop is <see cref="FeatureTrainer"/>'s: <c>torch.manual_seed(Seed)</c> before the weights, a Fisher–Yates shuffle
/// by <c>new Random(Seed)</c> every epoch, one dispose scope per batch (zero_grad, forward, objective, backward, step,
/// center update), the learning-rate schedule of the options. No augmentation (the inputs are features).
/// With a projection, D = <see cref="TrainingOptions.FeatureDim"/>; without one, f = x̂ and D = I, so the center term
/// has nothing to move (the inputs are frozen) and only the classifier learns.
/// </remarks>
public static class HeadTrainer
{
    /// <summary>Trains a head on <paramref name="inputs"/> [n, I] with labels 0..K-1.</summary>
    /// <param name="inputs">Frozen backbone features of the training images.</param>
    /// <param name="labels">Their labels, every class 0..K-1 present.</param>
    /// <param name="options">Loss, epochs, batch size, optimizer, schedule, beta, alpha, lambda, feature dimension D, seed.</param>
    /// <param name="projection">Whether to learn the D × I projection.</param>
    /// <param name="progress">Receives a report after every batch; may be null.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="LunaInputException">Bad labels or options.</exception>
    public static TrainedHead Fit(FeatureMatrix inputs, int[] labels, TrainingOptions options, bool projection = true, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (labels.Length != inputs.Rows)
        {
            throw new LunaInputException($"head training: {labels.Length} labels for {inputs.Rows} feature rows");
        }
        int[] counts = new Luna.Training.Data.ImageData(new float[inputs.Rows], inputs.Rows, 1, 1, 1, labels).TrainingClassCounts();
        int k = counts.Length;
        int inputDim = inputs.Columns;
        int featureDim = projection ? options.FeatureDim : inputDim;
        TrainingOptions effective = options with { FeatureDim = featureDim };
        (float[] mean, float[] std) = Standardisation(inputs);
        float[] scaled = Standardise(inputs, mean, std);

        TorchSetup.EnsureInitialized();
        Device device = TorchSetup.SelectDevice(options.Device);
        torch.manual_seed(options.Seed);
        var network = new HeadNetwork(inputDim, projection ? featureDim : null, k);
        TrainingObjective? objective = null;
        optim.Optimizer? optimizer = null;
        try
        {
            network.to(device);
            objective = TrainingObjective.Create(effective, counts);
            objective.To(device);
            optimizer = options.Optimizer == OptimizerKind.Adam
                ? optim.Adam(network.parameters(), options.EffectiveLearningRate, weight_decay: options.EffectiveWeightDecay)
                : optim.SGD(network.parameters(), options.EffectiveLearningRate, momentum: TrainingOptions.Defaults.Momentum, weight_decay: options.EffectiveWeightDecay);
            List<EpochSummary> history = RunEpochs(scaled, inputDim, labels, effective, network, objective, optimizer, device, progress, cancellationToken);
            network.eval();
            LinearHead head = network.Export(mean, std);
            float[] centers = objective.CenterLoss is null ? new float[k * featureDim] : Read(objective.CenterLoss.Centers);
            double[] lambda = objective.CenterLoss is null ? Enumerable.Repeat(1.0, k).ToArray() : Array.ConvertAll(Read(objective.CenterLoss.Lambda), v => (double)v);
            return new TrainedHead(head, history, counts, lambda, new FeatureMatrix(centers, k, featureDim));
        }
        finally
        {
            optimizer?.Dispose();
            objective?.Dispose();
            network.Dispose();
        }
    }

    private static List<EpochSummary> RunEpochs(
        float[] inputs, int inputDim, int[] labels, TrainingOptions options, HeadNetwork network, TrainingObjective objective,
        optim.Optimizer optimizer, Device device, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int n = labels.Length;
        int batchSize = Math.Min(options.BatchSize, n);
        int batches = (n + batchSize - 1) / batchSize;
        int totalSteps = batches * options.Epochs;
        var random = new Random(options.Seed);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var history = new List<EpochSummary>(options.Epochs);
        network.train();
        int step = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = n - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            double lossSum = 0;
            long correct = 0;
            int seen = 0;
            double lr = 0;
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int start = b * batchSize;
                int m = Math.Min(batchSize, n - start);
                var x = new float[m * inputDim];
                var y = new long[m];
                for (int i = 0; i < m; i++)
                {
                    int row = order[start + i];
                    inputs.AsSpan(row * inputDim, inputDim).CopyTo(x.AsSpan(i * inputDim, inputDim));
                    y[i] = labels[row];
                }
                lr = LearningRateSchedule.At(options, step, totalSteps, epoch);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = lr;
                }
                using (var scope = NewDisposeScope())
                {
                    Tensor xt = tensor(x, new long[] { m, inputDim }).to(device);
                    Tensor yt = tensor(y, new long[] { m }).to(device);
                    optimizer.zero_grad();
                    (Tensor features, Tensor logits) = network.forward(xt);
                    Tensor loss = objective.Forward(features, logits, yt);
                    loss.backward();
                    optimizer.step();
                    objective.AfterStep(features.detach(), yt);
                    lossSum += loss.item<float>() * m;
                    correct += logits.argmax(1).eq(yt).sum().item<long>();
                }
                seen += m;
                step++;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, lr, clock.Elapsed));
            }
            history.Add(new EpochSummary(epoch, lossSum / seen, (double)correct / seen, clock.Elapsed.TotalSeconds));
        }
        return history;
    }

    /// <summary>Per-dimension mean and population std of the inputs (std 1 where a dimension is constant).</summary>
    internal static (float[] Mean, float[] Std) Standardisation(FeatureMatrix inputs)
    {
        int d = inputs.Columns;
        var sum = new double[d];
        var squares = new double[d];
        for (int i = 0; i < inputs.Rows; i++)
        {
            ReadOnlySpan<float> row = inputs.Row(i);
            for (int j = 0; j < d; j++)
            {
                sum[j] += row[j];
                squares[j] += (double)row[j] * row[j];
            }
        }
        var mean = new float[d];
        var std = new float[d];
        for (int j = 0; j < d; j++)
        {
            double m = sum[j] / inputs.Rows;
            double variance = Math.Max(0, (squares[j] / inputs.Rows) - (m * m));
            mean[j] = (float)m;
            std[j] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (mean, std);
    }

    private static float[] Standardise(FeatureMatrix inputs, float[] mean, float[] std)
    {
        var result = new float[inputs.Rows * inputs.Columns];
        for (int i = 0; i < inputs.Rows; i++)
        {
            ReadOnlySpan<float> row = inputs.Row(i);
            Span<float> target = result.AsSpan(i * inputs.Columns, inputs.Columns);
            for (int j = 0; j < row.Length; j++)
            {
                target[j] = (row[j] - mean[j]) / std[j];
            }
        }
        return result;
    }

    private static float[] Read(Tensor tensor)
    {
        using Tensor cpu = tensor.detach().cpu().to(ScalarType.Float32);
        return cpu.data<float>().ToArray();
    }

    private sealed class HeadNetwork : nn.Module<Tensor, (Tensor Features, Tensor Logits)>
    {
        private readonly Linear? _projection;
        private readonly Linear _classifier;

        public HeadNetwork(int inputDim, int? featureDim, int classCount)
            : base(nameof(HeadNetwork))
        {
            if (featureDim is int d)
            {
                _projection = nn.Linear(inputDim, d);
                register_module("projection", _projection);
            }
            _classifier = nn.Linear(featureDim ?? inputDim, classCount);
            register_module("classifier", _classifier);
        }

        public override (Tensor Features, Tensor Logits) forward(Tensor input)
        {
            Tensor features = _projection is null ? input.alias() : _projection.forward(input);
            return (features, _classifier.forward(features));
        }

        public LinearHead Export(float[] mean, float[] std)
        {
            float[]? pw = _projection is null ? null : Read(_projection.weight!);
            float[]? pb = _projection is null ? null : Read(_projection.bias!);
            return new LinearHead(mean, std, pw, pb, Read(_classifier.weight!), Read(_classifier.bias!));
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _projection?.Dispose();
                _classifier.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
