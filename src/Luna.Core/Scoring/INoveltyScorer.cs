using Luna.Core.Data;

namespace Luna.Core.Scoring;

/// <summary>
/// The training side a novelty score is fitted on: features X [n, d], labels y [n] in 0..K-1,
/// and optionally the classifier's logits [n, K].
/// </summary>
/// <param name="Features">Training features, n × d, raw (each score normalises as its definition says).</param>
/// <param name="Labels">Class of each training row, 0..K-1.</param>
/// <param name="Logits">Classifier logits of each training row, n × K, or null when not available.</param>
public sealed record ScoringTrainingSet(FeatureMatrix Features, int[] Labels, FeatureMatrix? Logits = null)
{
    /// <summary>What error messages call <see cref="Features"/>, usually its file path. Default "training features".</summary>
    public string FeaturesSource { get; init; } = "training features";

    /// <summary>What error messages call <see cref="Labels"/>, usually its file path. Default "training labels".</summary>
    public string LabelsSource { get; init; } = "training labels";

    /// <summary>What error messages call <see cref="Logits"/>, usually its file path. Default "training logits".</summary>
    public string LogitsSource { get; init; } = "training logits";

    /// <summary>Names of the classes 0..K-1 for messages and warnings (<c>class 1 'rare'</c>), or null to name classes by number only.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}

/// <summary>Queries to score: features [m, d] and optionally their logits [m, K].</summary>
/// <param name="Features">Query features, m × d, raw.</param>
/// <param name="Logits">Classifier logits of each query, m × K, or null.</param>
public sealed record ScoringQuery(FeatureMatrix Features, FeatureMatrix? Logits = null)
{
    /// <summary>What error messages call <see cref="Features"/>, usually its file path. Default "query features".</summary>
    public string FeaturesSource { get; init; } = "query features";

    /// <summary>What error messages call <see cref="Logits"/>, usually its file path. Default "query logits".</summary>
    public string LogitsSource { get; init; } = "query logits";
}

/// <summary>
/// The result of scoring m queries. <see cref="Scores"/> follows Luna's one sign convention:
/// higher = more novel. <see cref="Acquaintance"/> is the known class each query was judged against
/// (LUNA's argmin class, the nearest class for distance scores, the top-1 class for logit scores),
/// or null when a score has no such notion.
/// </summary>
/// <param name="Scores">Novelty score per query, length m; higher = more novel.</param>
/// <param name="Acquaintance">Class per query (0..K-1), length m, or null.</param>
public sealed record NoveltyScores(double[] Scores, int[]? Acquaintance)
{
    /// <summary>Warnings raised while scoring these queries (for example LUNA's fallback for queries without an eligible candidate class); empty when none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = System.Array.Empty<string>();
}

/// <summary>
/// A novelty score (OpenOOD's "postprocessor"): settings in the constructor, then <see cref="Fit"/> on the
/// training set returns a fitted, read-only model that scores any number of query batches.
/// </summary>
public interface INoveltyScorer
{
    /// <summary>The registry name (<c>msp</c>, <c>luna</c>, ...).</summary>
    string Name { get; }

    /// <summary>True when the score needs logits (training and query).</summary>
    bool NeedsLogits { get; }

    /// <summary>
    /// Fits the score on the training set. The returned model does not change afterwards, as long as the caller does not
    /// change the training features: like scikit-learn's estimators, a score that keeps the features (<c>luna</c>,
    /// <c>lof</c>, <c>knn</c> with <see cref="NoveltyScorerOptions.Normalize"/> false) keeps the caller's
    /// <see cref="FeatureMatrix"/> itself, without a copy, so that a large training set is held once; with normalisation
    /// (the default) it keeps its own normalised copy. Labels are copied.
    /// </summary>
    IFittedNoveltyScorer Fit(ScoringTrainingSet training, CancellationToken cancellationToken = default);
}

/// <summary>A fitted novelty score; thread-safe for concurrent <see cref="Score"/> calls.</summary>
public interface IFittedNoveltyScorer
{
    /// <summary>The registry name of the score that made this model.</summary>
    string Name { get; }

    /// <summary>
    /// Warnings raised by <see cref="INoveltyScorer.Fit"/> (a neighbourhood size clamped to the training set, classes left
    /// out, a regularised covariance), for the command line to print and for manifests to record; empty when none.
    /// Each is one sentence without the score's name (the caller knows which score it fitted).
    /// </summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Scores the queries; higher = more novel.</summary>
    /// <exception cref="LunaInputException">The queries do not fit the training set (dimension, logits, non-finite values).</exception>
    NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default);
}
