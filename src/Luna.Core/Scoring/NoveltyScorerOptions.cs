using Luna.Core.Neighbors;

namespace Luna.Core.Scoring;

/// <summary>Which known classes a query is judged against by the LUNA factor (docs/method.md, <c>--candidates</c>).</summary>
public enum CandidateRule
{
    /// <summary>
    /// The classes present among the query's k nearest training features, plus the classifier's top-1 class when
    /// logits are given (the paper's boundary rule; the default).
    /// </summary>
    Neighbours,

    /// <summary>Only the classifier's top-1 class (needs query logits).</summary>
    Top1,

    /// <summary>Classes ignored: LOF over all training features.</summary>
    All,
}

/// <summary>
/// Settings shared by every novelty score and by <c>luna score</c>; each score reads the ones it uses.
/// The constants of <see cref="Defaults"/> are also the command-line defaults.
/// </summary>
public sealed record NoveltyScorerOptions
{
    /// <summary>The default settings, shared with the command line.</summary>
    public static class Defaults
    {
        /// <summary>Neighbourhood size of <c>luna</c> and <c>lof</c>: 10 (LUNA's default; lof uses the same so the two compare like for like).</summary>
        public const int K = 10;

        /// <summary>L2-normalise features before <c>luna</c>, <c>lof</c>, <c>knn</c> and <c>center</c>: true.</summary>
        public const bool Normalize = true;

        /// <summary>LUNA's candidate rule: <see cref="CandidateRule.Neighbours"/>.</summary>
        public const CandidateRule Candidates = CandidateRule.Neighbours;

        /// <summary>The k of <c>knn</c> (Sun et al. 2022): 50.</summary>
        public const int KnnK = 50;

        /// <summary>Temperature T of <c>energy</c>: 1.</summary>
        public const double Temperature = 1.0;

        /// <summary>Whether <c>luna</c> accepts a class with a single training sample (and leaves it out of the candidates): false.</summary>
        public const bool AllowSingletonClasses = false;

        /// <summary>The neighbour index of <c>luna</c>, <c>lof</c> and <c>knn</c> (<c>--index</c>): exact.</summary>
        public const string NeighborIndex = "exact";
    }

    /// <summary>The shared default instance.</summary>
    public static NoveltyScorerOptions Default { get; } = new();

    /// <summary>Neighbourhood size k of <c>luna</c> (per class k_c = min(k, n_c - 1)) and <c>lof</c>; ≥ 1.</summary>
    public int K { get; init; } = Defaults.K;

    /// <summary>
    /// L2-normalise training and query features before the distance-based scores <c>luna</c>, <c>lof</c>, <c>knn</c>
    /// and <c>center</c>. <c>mahalanobis</c> always uses the raw features; logit scores ignore features. When false,
    /// <c>luna</c>, <c>lof</c> and <c>knn</c> keep the caller's training features without a copy (as scikit-learn's
    /// neighbour estimators do): do not change them while the fitted model is in use.
    /// </summary>
    public bool Normalize { get; init; } = Defaults.Normalize;

    /// <summary>LUNA's candidate rule.</summary>
    public CandidateRule Candidates { get; init; } = Defaults.Candidates;

    /// <summary>The k of <c>knn</c> (distance to the k-th nearest training feature); ≥ 1.</summary>
    public int KnnK { get; init; } = Defaults.KnnK;

    /// <summary>Temperature T &gt; 0 of <c>energy</c>.</summary>
    public double Temperature { get; init; } = Defaults.Temperature;

    /// <summary>
    /// When false (the default), fitting <c>luna</c> on a training set with a class of exactly one sample is an error
    /// naming the class; when true the class is left out of LUNA's candidates (docs/method.md) and a warning says so.
    /// </summary>
    public bool AllowSingletonClasses { get; init; } = Defaults.AllowSingletonClasses;

    /// <summary>
    /// Builds the neighbour indices of <c>luna</c> (the search over all training features and the per-class ones),
    /// <c>lof</c> and <c>knn</c>: <see cref="ExactNeighborIndexFactory.Instance"/> by default (exact k-NN, identical to a
    /// brute-force double-precision search); an approximate factory (HNSW, package <c>Luna.Neighbors.Hnsw</c>) trades
    /// exactness for speed on large training sets.
    /// </summary>
    public INeighborIndexFactory NeighborIndex { get; init; } = ExactNeighborIndexFactory.Instance;
}
