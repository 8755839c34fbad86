namespace Luna.Core.Scoring;

/// <summary>
/// Energy score (Liu et al. 2020), registry name <c>energy</c>: score = -T · logsumexp(l / T), with T =
/// <see cref="NoveltyScorerOptions.Temperature"/> (default 1), computed as -T · (M + ln sum_j exp(l_j / T - M)),
/// M = max_j l_j / T. Needs logits; the acquaintance is the top-1 class.
/// </summary>
public sealed class EnergyScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "energy";

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null).</summary>
    public EnergyScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings; <see cref="NoveltyScorerOptions.Temperature"/> applies.</summary>
    public NoveltyScorerOptions Options { get; }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public bool NeedsLogits => true;

    /// <inheritdoc />
    public IFittedNoveltyScorer Fit(ScoringTrainingSet training, CancellationToken cancellationToken = default)
    {
        double temperature = Options.Temperature;
        return LogitScoreModel.Fit(Name, Options, training, logits => -LogitMath.TemperedLogSumExp(logits, temperature));
    }
}
