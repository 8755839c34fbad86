using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Core.Scoring;

/// <summary>
/// Deep nearest neighbours (Sun et al. 2022), registry name <c>knn</c>: score = Euclidean distance from the query to its
/// k-th nearest training feature, k = <see cref="NoveltyScorerOptions.KnnK"/> (default 50), features L2-normalised
/// when <see cref="NoveltyScorerOptions.Normalize"/> (the default). k is clamped to n with a warning.
/// The acquaintance is the class of the nearest training feature.
/// </summary>
public sealed class KnnScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "knn";

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null).</summary>
    public KnnScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings; <see cref="NoveltyScorerOptions.KnnK"/> and <see cref="NoveltyScorerOptions.Normalize"/> apply.</summary>
    public NoveltyScorerOptions Options { get; }

    /// <inheritdoc />
    public string Name => RegistryName;

    /// <inheritdoc />
    public bool NeedsLogits => false;

    /// <inheritdoc />
    public IFittedNoveltyScorer Fit(ScoringTrainingSet training, CancellationToken cancellationToken = default)
    {
        ScoringValidation.Options(Options);
        TrainingShape shape = ScoringValidation.Training(training, Name, needsLogits: false, minRows: 1);
        FeatureMatrix x = Options.Normalize ? training.Features.L2Normalized() : training.Features;
        int k = Math.Min(Options.KnnK, x.Rows);
        string[] warnings = k < Options.KnnK
            ? [$"k = {Options.KnnK} is larger than the {x.Rows} training samples; using k = {k}"]
            : [];
        return new Model(shape, Options.NeighborIndex.Create(x, cancellationToken), training.Labels.ToArray(), k, Options.Normalize, warnings);
    }

    private sealed class Model : IFittedNoveltyScorer
    {
        private readonly TrainingShape _shape;
        private readonly INeighborIndex _index;
        private readonly int[] _labels;
        private readonly int _k;
        private readonly bool _normalize;

        public Model(TrainingShape shape, INeighborIndex index, int[] labels, int k, bool normalize, string[] warnings)
        {
            _shape = shape;
            _index = index;
            _labels = labels;
            _k = k;
            _normalize = normalize;
            Warnings = warnings;
        }

        public string Name => RegistryName;

        public IReadOnlyList<string> Warnings { get; }

        public NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default)
        {
            ScoringValidation.Query(query, _shape, Name, needsLogits: false);
            FeatureMatrix q = _normalize ? query.Features.L2Normalized() : query.Features;
            NeighborResult near = _index.Search(q, _k, cancellationToken);
            var scores = new double[q.Rows];
            var acquaintance = new int[q.Rows];
            for (int i = 0; i < q.Rows; i++)
            {
                scores[i] = near.DistancesOf(i)[_k - 1];
                acquaintance[i] = _labels[near.IndicesOf(i)[0]];
            }
            return new NoveltyScores(scores, acquaintance);
        }
    }
}
