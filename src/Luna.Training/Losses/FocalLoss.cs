using Luna.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Losses;

/// <summary>
/// Focal loss (Lin et al. 2017) on logits, a long-tail baseline: FL_i = -(1 - p_i)^gamma * log p_i with p_i the
/// softmax probability of the true class; gamma = 0 is cross-entropy.
/// </summary>
public sealed class FocalLoss : Loss<Tensor, Tensor, Tensor>
{
    /// <summary>Default focusing parameter gamma = 2 (Lin et al.).</summary>
    public const double DefaultGamma = 2.0;

    /// <summary>Creates the loss.</summary>
    /// <param name="gamma">Focusing parameter gamma ≥ 0.</param>
    /// <param name="reduction">Mean over the batch, Sum, or None (per sample).</param>
    /// <exception cref="LunaInputException">gamma is negative or not finite.</exception>
    public FocalLoss(double gamma = DefaultGamma, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        if (!(gamma >= 0) || double.IsInfinity(gamma))
        {
            throw new LunaInputException($"focal gamma: value {gamma} must be a finite number ≥ 0");
        }
        Gamma = gamma;
    }

    /// <summary>The focusing parameter gamma.</summary>
    public double Gamma { get; }

    /// <summary>The loss of logits [m, K] with labels [m] (int64).</summary>
    public override Tensor forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        using var scope = NewDisposeScope();
        Tensor logP = nn.functional.log_softmax(input, 1).gather(1, target.unsqueeze(1)).squeeze(1);
        Tensor perSample = logP.exp().neg().add(1.0).pow(Gamma).mul(logP).neg();
        Tensor result = reduction switch
        {
            nn.Reduction.Mean => perSample.mean(),
            nn.Reduction.Sum => perSample.sum(),
            _ => perSample,
        };
        return result.MoveToOuterDisposeScope();
    }
}
