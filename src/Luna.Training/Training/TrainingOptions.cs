using Luna.Core;
using Luna.Core.LongTail;
using Luna.Training.Losses;

namespace Luna.Training;

/// <summary>The optimizer that trains the network's weights.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum 0.9 and weight decay (default 5e-4).</summary>
    Sgd,

    /// <summary>Adam (betas 0.9, 0.999), no weight decay by default.</summary>
    Adam,
}

/// <summary>How the learning rate changes during training.</summary>
public enum ScheduleKind
{
    /// <summary>lr_t = lr * (1 + cos(pi * t / T)) / 2 over the T optimizer steps of the run (t = 0..T-1).</summary>
    Cosine,

    /// <summary>lr, divided by 10 from epoch ceil(E/2) + 1 on and again from epoch ceil(3E/4) + 1 on.</summary>
    Step,

    /// <summary>lr throughout.</summary>
    Constant,
}

/// <summary>
/// Everything that decides a training run. Immutable; the defaults are the constants in <see cref="Defaults"/>,
/// which the command-line tool also shows as its defaults.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Default values of every option.</summary>
    public static class Defaults
    {
        /// <summary>Passes over the training set.</summary>
        public const int Epochs = 30;

        /// <summary>Images per optimizer step (m in the center-loss formula).</summary>
        public const int BatchSize = 128;

        /// <summary>Learning rate of SGD.</summary>
        public const double SgdLearningRate = 0.05;

        /// <summary>Learning rate of Adam.</summary>
        public const double AdamLearningRate = 1e-3;

        /// <summary>SGD momentum.</summary>
        public const double Momentum = 0.9;

        /// <summary>Weight decay (L2) of SGD.</summary>
        public const double SgdWeightDecay = 5e-4;

        /// <summary>Weight decay (L2) of Adam.</summary>
        public const double AdamWeightDecay = 0.0;

        /// <summary>Optimizer.</summary>
        public const OptimizerKind Optimizer = OptimizerKind.Sgd;

        /// <summary>Learning-rate schedule.</summary>
        public const ScheduleKind Schedule = ScheduleKind.Cosine;

        /// <summary>Loss: cross-entropy plus the weighted center loss.</summary>
        public const LossKind Loss = LossKind.WCenter;

        /// <summary>beta, the weight of the center term: L = CE + beta * L_wc (on raw features).</summary>
        public const double Beta = 0.01;

        /// <summary>alpha, the center update rate of Wen et al.</summary>
        public const double Alpha = 0.5;

        /// <summary>lambda_max, the weight of the rarest class in wcenter.</summary>
        public const double LambdaMax = ClassWeights.DefaultLambdaMax;

        /// <summary>The map applied to n_max / n_j before the min-max step of wcenter.</summary>
        public const LambdaMap LambdaMapping = LambdaMap.Linear;

        /// <summary>gamma of the focal loss.</summary>
        public const double FocalGamma = FocalLoss.DefaultGamma;

        /// <summary>Feature dimension D.</summary>
        public const int FeatureDim = 128;

        /// <summary>Seed of initialisation, shuffling and augmentation.</summary>
        public const int Seed = 0;

        /// <summary>Compute device.</summary>
        public const DeviceKind Device = DeviceKind.Cpu;

        /// <summary>Whether to augment (random crop with padding + horizontal flip).</summary>
        public const bool Augment = true;

        /// <summary>Zero padding of the random crop, in pixels on each side.</summary>
        public const int CropPadding = 4;
    }

    /// <summary>Passes over the training set, ≥ 1.</summary>
    public int Epochs { get; init; } = Defaults.Epochs;

    /// <summary>Images per step, ≥ 1.</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Base learning rate; null means the optimizer's default (<see cref="Defaults.SgdLearningRate"/> or <see cref="Defaults.AdamLearningRate"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Weight decay; null means the optimizer's default (<see cref="Defaults.SgdWeightDecay"/> or <see cref="Defaults.AdamWeightDecay"/>).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = Defaults.Optimizer;

    /// <summary>Learning-rate schedule.</summary>
    public ScheduleKind Schedule { get; init; } = Defaults.Schedule;

    /// <summary>Training loss.</summary>
    public LossKind Loss { get; init; } = Defaults.Loss;

    /// <summary>beta ≥ 0: weight of the center term (center and wcenter only).</summary>
    public double Beta { get; init; } = Defaults.Beta;

    /// <summary>alpha in [0, 1]: center update rate (center and wcenter only).</summary>
    public double Alpha { get; init; } = Defaults.Alpha;

    /// <summary>lambda_max ≥ 1 (wcenter only).</summary>
    public double LambdaMax { get; init; } = Defaults.LambdaMax;

    /// <summary>Map of n_max / n_j (wcenter only).</summary>
    public LambdaMap LambdaMap { get; init; } = Defaults.LambdaMapping;

    /// <summary>gamma ≥ 0 of the focal loss (focal only).</summary>
    public double FocalGamma { get; init; } = Defaults.FocalGamma;

    /// <summary>Feature dimension D ≥ 1.</summary>
    public int FeatureDim { get; init; } = Defaults.FeatureDim;

    /// <summary>Seed: <c>torch.manual_seed(Seed)</c> before the weights are made, <c>new Random(Seed)</c> for the shuffles, <c>new Random(Seed + 1)</c> for the augmentation.</summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>Compute device.</summary>
    public DeviceKind Device { get; init; } = Defaults.Device;

    /// <summary>Whether training batches are augmented.</summary>
    public bool Augment { get; init; } = Defaults.Augment;

    /// <summary>Zero padding of the random crop (0 = flips only), 0 ≤ padding ≤ 64.</summary>
    public int CropPadding { get; init; } = Defaults.CropPadding;

    /// <summary>The learning rate in use: <see cref="LearningRate"/> or the optimizer's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == OptimizerKind.Adam ? Defaults.AdamLearningRate : Defaults.SgdLearningRate);

    /// <summary>The weight decay in use: <see cref="WeightDecay"/> or the optimizer's default.</summary>
    public double EffectiveWeightDecay => WeightDecay ?? (Optimizer == OptimizerKind.Adam ? Defaults.AdamWeightDecay : Defaults.SgdWeightDecay);

    /// <summary>Checks every value; the message names the option (as the CLI spells it) and the value.</summary>
    /// <exception cref="LunaInputException">A value is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1)
        {
            throw new LunaInputException($"--epochs: value {Epochs} must be at least 1");
        }
        if (BatchSize < 1)
        {
            throw new LunaInputException($"--batch-size: value {BatchSize} must be at least 1");
        }
        if (!(EffectiveLearningRate > 0) || double.IsInfinity(EffectiveLearningRate))
        {
            throw new LunaInputException($"--lr: value {EffectiveLearningRate} must be a finite number > 0");
        }
        if (!(EffectiveWeightDecay >= 0) || double.IsInfinity(EffectiveWeightDecay))
        {
            throw new LunaInputException($"--weight-decay: value {EffectiveWeightDecay} must be a finite number ≥ 0");
        }
        if (!(Beta >= 0) || double.IsInfinity(Beta))
        {
            throw new LunaInputException($"--beta: value {Beta} must be a finite number ≥ 0");
        }
        if (!(Alpha >= 0 && Alpha <= 1))
        {
            throw new LunaInputException($"alpha: value {Alpha} must be in [0, 1]");
        }
        if (!(LambdaMax >= 1) || double.IsInfinity(LambdaMax))
        {
            throw new LunaInputException($"--lambda-max: value {LambdaMax} must be a finite number ≥ 1");
        }
        if (!(FocalGamma >= 0) || double.IsInfinity(FocalGamma))
        {
            throw new LunaInputException($"--focal-gamma: value {FocalGamma} must be a finite number ≥ 0");
        }
        if (FeatureDim < 1 || FeatureDim > 65536)
        {
            throw new LunaInputException($"--feature-dim: value {FeatureDim} must be in 1..65536");
        }
        if (CropPadding < 0 || CropPadding > 64)
        {
            throw new LunaInputException($"crop-padding: value {CropPadding} must be in 0..64");
        }
        if (!Enum.IsDefined(Optimizer))
        {
            throw new LunaInputException($"optimizer: value {Optimizer} is not one of sgd, adam");
        }
        if (!Enum.IsDefined(Schedule))
        {
            throw new LunaInputException($"schedule: value {Schedule} is not one of cosine, step, constant");
        }
        if (!Enum.IsDefined(Loss))
        {
            throw new LunaInputException($"loss: value {Loss} is not one of ce, center, wcenter, focal, balanced-softmax");
        }
        if (!Enum.IsDefined(LambdaMap))
        {
            throw new LunaInputException($"lambda-map: value {LambdaMap} is not one of linear, sqrt, log");
        }
        if (!Enum.IsDefined(Device))
        {
            throw new LunaInputException($"--device: value {Device} is not one of cpu, cuda");
        }
    }
}
