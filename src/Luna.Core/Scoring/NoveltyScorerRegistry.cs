namespace Luna.Core.Scoring;

/// <summary>A registered novelty score: its name, a one-line description and whether it needs logits.</summary>
/// <param name="Name">The registry name, as given to <c>--method</c>.</param>
/// <param name="Description">What the score computes, one line.</param>
/// <param name="NeedsLogits">True when the score reads the classifier's logits (training and query).</param>
public sealed record NoveltyScorerInfo(string Name, string Description, bool NeedsLogits);

/// <summary>
/// Every novelty score by name (OpenOOD's registry of postprocessors), so that the command line and the benchmark can run
/// any of them, or all of them side by side. All follow one convention: higher = more novel.
/// </summary>
public static class NoveltyScorerRegistry
{
    private static readonly (NoveltyScorerInfo Info, Func<NoveltyScorerOptions, INoveltyScorer> Create)[] s_entries =
    [
        (new NoveltyScorerInfo(MspScorer.RegistryName, "1 - max softmax probability (needs logits)", true), o => new MspScorer(o)),
        (new NoveltyScorerInfo(MaxLogitScorer.RegistryName, "- max logit (needs logits)", true), o => new MaxLogitScorer(o)),
        (new NoveltyScorerInfo(EnergyScorer.RegistryName, "- T * logsumexp(logits / T), T = 1 (needs logits)", true), o => new EnergyScorer(o)),
        (new NoveltyScorerInfo(KnnScorer.RegistryName, "distance to the k-th nearest training feature, L2-normalised, k = 50", false), o => new KnnScorer(o)),
        (new NoveltyScorerInfo(LofScorer.RegistryName, "local outlier factor over all training features, L2-normalised, classes ignored, k = 10", false), o => new LofScorer(o)),
        (new NoveltyScorerInfo(MahalanobisScorer.RegistryName, "min over classes of the Mahalanobis distance, raw features, shared covariance", false), o => new MahalanobisScorer(o)),
        (new NoveltyScorerInfo(CenterScorer.RegistryName, "distance to the nearest class mean of the L2-normalised features", false), o => new CenterScorer(o)),
        (new NoveltyScorerInfo(LunaScorer.RegistryName, "the LUNA factor: per-class LOF against the acquaintance class, k = 10", false), o => new LunaScorer(o)),
    ];

    /// <summary>The registered scores, in a fixed order (logit scores, then feature scores, LUNA last).</summary>
    public static IReadOnlyList<NoveltyScorerInfo> Scorers { get; } = Array.ConvertAll(s_entries, e => e.Info);

    /// <summary>The registered names, in the order of <see cref="Scorers"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.ConvertAll(s_entries, e => e.Info.Name);

    /// <summary>Whether <paramref name="name"/> is a registered score (case-insensitive).</summary>
    public static bool Contains(string name) => Find(name) >= 0;

    /// <summary>The description of a registered score.</summary>
    /// <param name="name">A registered name (case-insensitive).</param>
    /// <param name="field">What the name was given as, for the error message (an option such as <c>--scores</c>).</param>
    /// <exception cref="LunaInputException">The name is not registered; the message names the field, quotes the name and lists the valid names.</exception>
    public static NoveltyScorerInfo Describe(string name, string field = "score") => s_entries[Require(name, field)].Info;

    /// <summary>Creates the score registered as <paramref name="name"/> (case-insensitive) with the given settings.</summary>
    /// <param name="name">A registered name (<see cref="Names"/>).</param>
    /// <param name="options">Settings; <see cref="NoveltyScorerOptions.Default"/> when null.</param>
    /// <exception cref="LunaInputException">The name is not registered; the message quotes it and lists the valid names.</exception>
    public static INoveltyScorer Create(string name, NoveltyScorerOptions? options = null)
        => s_entries[Require(name, "score")].Create(options ?? NoveltyScorerOptions.Default);

    private static int Require(string name, string field)
    {
        int index = Find(name);
        if (index < 0)
        {
            throw new LunaInputException($"{field}: value '{name}' is not a known novelty score; valid names: {string.Join(", ", Names)}");
        }
        return index;
    }

    private static int Find(string? name)
    {
        for (int i = 0; i < s_entries.Length; i++)
        {
            if (string.Equals(s_entries[i].Info.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }
}
