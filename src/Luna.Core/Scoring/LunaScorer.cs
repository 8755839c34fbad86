namespace Luna.Core.Scoring;

/// <summary>
/// The LUNA factor (docs/method.md), registry name <c>luna</c>: per-class LOF with cluster-size adaptive k_c,
/// judged against the acquaintance class. <see cref="Fit"/> returns a <see cref="LunaModel"/>.
/// </summary>
public sealed class LunaScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "luna";

    /// <summary>Creates the score with the given settings (<see cref="NoveltyScorerOptions.Default"/> when null).</summary>
    public LunaScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings used: K, Normalize, Candidates, AllowSingletonClasses.</summary>
    public NoveltyScorerOptions Options { get; }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <summary>False: logits are optional; when given, the query's top-1 class joins its candidates.</summary>
    public bool NeedsLogits => false;

    /// <inheritdoc />
    public IFittedNoveltyScorer Fit(ScoringTrainingSet training, CancellationToken cancellationToken = default)
        => FitModel(training, cancellationToken);

    /// <summary>Fits LUNA on the training set; the typed form of <see cref="Fit"/>.</summary>
    /// <exception cref="LunaInputException">Bad training input, a class with one sample while
    /// <see cref="NoveltyScorerOptions.AllowSingletonClasses"/> is false, or no class with 2 or more samples.</exception>
    public LunaModel FitModel(ScoringTrainingSet training, CancellationToken cancellationToken = default)
        => LunaModel.Fit(training, Options, cancellationToken);
}
