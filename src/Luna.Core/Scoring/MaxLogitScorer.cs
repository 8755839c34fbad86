namespace Luna.Core.Scoring;

/// <summary>
/// Maximum logit (Hendrycks et al. 2022), registry name <c>maxlogit</c>: score = -max_j l_j.
/// Needs logits; the acquaintance is the top-1 class.
/// </summary>
public sealed class MaxLogitScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "maxlogit";

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null; no setting applies).</summary>
    public MaxLogitScorer(NoveltyScorerOptions? options = null)
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
        => LogitScoreModel.Fit(Name, Options, training, static logits => -(double)logits[LogitMath.Argmax(logits)]);
}
