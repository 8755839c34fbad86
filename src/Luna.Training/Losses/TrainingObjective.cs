using Luna.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Losses;

/// <summary>
/// The whole training objective of one <see cref="LossKind"/>: L = L_cls(logits, y) + beta * L_wc(features, y) where
/// L_cls is cross-entropy (ce, center, wcenter), focal or balanced softmax, and the center term is present for center
/// and wcenter only. After each optimizer step, <see cref="AfterStep"/> moves the centers (Wen et al.; rate alpha, not
/// scaled by beta).
/// </summary>
public sealed class TrainingObjective : IDisposable
{
    private readonly nn.Module<Tensor, Tensor, Tensor> _classification;

    private TrainingObjective(LossKind kind, nn.Module<Tensor, Tensor, Tensor> classification, WeightedCenterLoss? center, double beta, double alpha)
    {
        Kind = kind;
        _classification = classification;
        CenterLoss = center;
        Beta = beta;
        Alpha = alpha;
    }

    /// <summary>The loss kind.</summary>
    public LossKind Kind { get; }

    /// <summary>The center term (center, wcenter), or null.</summary>
    public WeightedCenterLoss? CenterLoss { get; }

    /// <summary>beta, the weight of the center term.</summary>
    public double Beta { get; }

    /// <summary>alpha, the center update rate.</summary>
    public double Alpha { get; }

    /// <summary>Builds the objective of <paramref name="options"/> for a training set with class counts <paramref name="counts"/>.</summary>
    /// <exception cref="LunaInputException">An option or count is out of range.</exception>
    public static TrainingObjective Create(TrainingOptions options, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counts);
        options.Validate();
        return options.Loss switch
        {
            LossKind.Ce => new TrainingObjective(LossKind.Ce, nn.CrossEntropyLoss(), null, 0, 0),
            LossKind.Center => new TrainingObjective(LossKind.Center, nn.CrossEntropyLoss(), WeightedCenterLoss.Center(counts.Count, options.FeatureDim), options.Beta, options.Alpha),
            LossKind.WCenter => new TrainingObjective(LossKind.WCenter, nn.CrossEntropyLoss(), WeightedCenterLoss.Weighted(counts, options.FeatureDim, options.LambdaMax, options.LambdaMap), options.Beta, options.Alpha),
            LossKind.Focal => new TrainingObjective(LossKind.Focal, new FocalLoss(options.FocalGamma), null, 0, 0),
            LossKind.BalancedSoftmax => new TrainingObjective(LossKind.BalancedSoftmax, new BalancedSoftmaxLoss(counts), null, 0, 0),
            _ => throw new LunaInputException($"loss: value {options.Loss} is not one of ce, center, wcenter, focal, balanced-softmax"),
        };
    }

    /// <summary>Moves the loss's buffers (centers, weights) to <paramref name="device"/>.</summary>
    public void To(Device device)
    {
        _classification.to(device);
        CenterLoss?.to(device);
    }

    /// <summary>The scalar objective of a batch: features [m, D], logits [m, K], labels [m] (int64).</summary>
    public Tensor Forward(Tensor features, Tensor logits, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        Tensor loss = _classification.forward(logits, target);
        if (CenterLoss is null)
        {
            return loss;
        }
        using Tensor center = CenterLoss.forward(features, target);
        using Tensor weighted = center.mul(Beta);
        using (loss)
        {
            return loss.add(weighted);
        }
    }

    /// <summary>Moves the centers with the batch's features (call after the optimizer step); nothing for losses without centers.</summary>
    public void AfterStep(Tensor features, Tensor target)
    {
        CenterLoss?.UpdateCenters(features, target, Alpha);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _classification.Dispose();
        CenterLoss?.Dispose();
    }
}
