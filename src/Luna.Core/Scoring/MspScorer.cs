namespace Luna.Core.Scoring;

/// <summary>
/// Maximum softmax probability (Hendrycks &amp; Gimpel 2017), registry name <c>msp</c>:
/// score = 1 - max_j softmax(l)_j, computed stably as r / (1 + r) with r = sum over j ≠ argmax of exp(l_j - max l).
/// Needs logits; the acquaintance is the top-1 class.
/// </summary>
public sealed class MspScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "msp";

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null; no setting applies).</summary>
    public MspScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings (none of them changes this score).</summary>
    public NoveltyScorerOptions Options { get; }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public bool NeedsLogits => true;

    /// <inheritdoc />
    public IFittedNoveltyScorer Fit(ScoringTrainingSet training, CancellationToken cancellationToken = default)
        => LogitScoreModel.Fit(Name, Options, training, LogitMath.OneMinusMaxSoftmax);
}
