using Luna.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Losses;

/// <summary>
/// Balanced softmax (Ren et al. 2020), a long-tail baseline equal to logit adjustment with tau = 1 (Menon et al. 2021):
/// cross-entropy of the logits shifted by the log class prior, CE(z + log n_j, y). Only the training loss changes;
/// extracted logits stay unshifted.
/// </summary>
public sealed class BalancedSoftmaxLoss : Loss<Tensor, Tensor, Tensor>
{
    private readonly Tensor _logCounts;

    /// <summary>Creates the loss from the training counts n_j (all ≥ 1).</summary>
    /// <exception cref="LunaInputException">A count is below 1.</exception>
    public BalancedSoftmaxLoss(IReadOnlyList<int> counts, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var logCounts = new float[counts.Count];
        for (int j = 0; j < logCounts.Length; j++)
        {
            if (counts[j] < 1)
            {
                throw new LunaInputException($"class counts: class {j} has count {counts[j]}; every class needs at least 1 training image");
            }
            logCounts[j] = (float)Math.Log(counts[j]);
        }
        _logCounts = tensor(logCounts);
        register_buffer("log_counts", _logCounts);
    }

    /// <summary>The loss of logits [m, K] with labels [m] (int64).</summary>
    public override Tensor forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        using Tensor shifted = input.add(_logCounts);
        return nn.functional.cross_entropy(shifted, target, reduction: reduction);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _logCounts.Dispose();
        }
        base.Dispose(disposing);
    }
}
