using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Core.Scoring;

/// <summary>
/// Local outlier factor (Breunig et al. 2000) over all training features, classes ignored, registry name <c>lof</c>;
/// equal to scikit-learn's <c>-LocalOutlierFactor(n_neighbors=k, novelty=True).score_samples(Q)</c>.
/// k = <see cref="NoveltyScorerOptions.K"/> (default 10, the same as LUNA's so that the two compare like for like),
/// clamped to n - 1 with a warning; features L2-normalised when <see cref="NoveltyScorerOptions.Normalize"/>.
/// The acquaintance is the class of the nearest training feature. Neighbours come from
/// <see cref="NoveltyScorerOptions.NeighborIndex"/> (exact by default); fitting costs one self-join over the training
/// features (n²/2 distance products with the exact index), scoring m·n.
/// </summary>
public sealed class LofScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "lof";

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null).</summary>
    public LofScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings; <see cref="NoveltyScorerOptions.K"/> and <see cref="NoveltyScorerOptions.Normalize"/> apply.</summary>
    public NoveltyScorerOptions Options { get; }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public bool NeedsLogits => false;

    /// <inheritdoc />
    public IFittedNoveltyScorer Fit(ScoringTrainingSet training, CancellationToken cancellationToken = default)
    {
        ScoringValidation.Options(Options);
        TrainingShape shape = ScoringValidation.Training(training, Name, needsLogits: false, minRows: 2);
        FeatureMatrix x = Options.Normalize ? training.Features.L2Normalized() : training.Features;
        int k = Math.Min(Options.K, x.Rows - 1);
        string[] warnings = k < Options.K
            ? [$"k = {Options.K} is larger than the {x.Rows} training samples minus one; using k = {k}"]
            : [];
        INeighborIndex index = Options.NeighborIndex.Create(x, cancellationToken);
        LocalDensity density = LocalDensity.Fit(index, k, cancellationToken);
        return new Model(shape, index, density, training.Labels.ToArray(), Options.Normalize, warnings);
    }

    private sealed class Model : IFittedNoveltyScorer
    {
        private readonly TrainingShape _shape;
        private readonly INeighborIndex _index;
        private readonly LocalDensity _density;
        private readonly int[] _labels;
        private readonly bool _normalize;

        public Model(TrainingShape shape, INeighborIndex index, LocalDensity density, int[] labels, bool normalize, string[] warnings)
        {
            _shape = shape;
            _index = index;
            _density = density;
            _labels = labels;
            _normalize = normalize;
            Warnings = warnings;
        }

        public string Name => RegistryName;

        public IReadOnlyList<string> Warnings { get; }

        public NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default)
        {
            ScoringValidation.Query(query, _shape, Name, needsLogits: false);
            FeatureMatrix q = _normalize ? query.Features.L2Normalized() : query.Features;
            NeighborResult near = _index.Search(q, _density.K, cancellationToken);
            var scores = new double[q.Rows];
            var acquaintance = new int[q.Rows];
            for (int i = 0; i < q.Rows; i++)
            {
                scores[i] = _density.Factor(near.IndicesOf(i), near.DistancesOf(i));
                acquaintance[i] = _labels[near.IndicesOf(i)[0]];
            }
            return new NoveltyScores(scores, acquaintance);
        }
    }
}
