using Luna.Core.Data;

namespace Luna.Core.Scoring;

/// <summary>
/// Distance to the nearest class mean, registry name <c>center</c>: score = min_c ||x̂ - μ_c||₂ where x̂ is the query
/// (L2-normalised when <see cref="NoveltyScorerOptions.Normalize"/>, the default) and μ_c the mean of class c's
/// (normalised) training features, not renormalised. Classes without training samples have no mean and are skipped.
/// The acquaintance is the argmin class (ties: lower class). Computed in double.
/// </summary>
public sealed class CenterScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "center";

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null).</summary>
    public CenterScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings; <see cref="NoveltyScorerOptions.Normalize"/> applies.</summary>
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
        (double[] means, int[] counts) = ClassMeans.Compute(x, training.Labels, shape.Classes);
        return new Model(shape, means, counts, Options.Normalize, ClassMeans.MissingClassWarning(counts));
    }

    private sealed class Model : IFittedNoveltyScorer
    {
        private readonly TrainingShape _shape;
        private readonly double[] _means;
        private readonly int[] _counts;
        private readonly bool _normalize;

        public Model(TrainingShape shape, double[] means, int[] counts, bool normalize, string[] warnings)
        {
            _shape = shape;
            _means = means;
            _counts = counts;
            _normalize = normalize;
            Warnings = warnings;
        }

        public string Name => RegistryName;

        public IReadOnlyList<string> Warnings { get; }

        public NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default)
        {
            ScoringValidation.Query(query, _shape, Name, needsLogits: false);
            FeatureMatrix q = _normalize ? query.Features.L2Normalized() : query.Features;
            int m = q.Rows;
            int d = q.Columns;
            var scores = new double[m];
            var acquaintance = new int[m];
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.For(0, m, options, () => new double[d], (i, _, x) =>
            {
                ReadOnlySpan<float> row = q.Row(i);
                for (int j = 0; j < d; j++)
                {
                    x[j] = row[j];
                }
                double best = double.PositiveInfinity;
                int bestClass = -1;
                for (int c = 0; c < _counts.Length; c++)
                {
                    if (_counts[c] == 0)
                    {
                        continue;
                    }
                    double distance = System.Numerics.Tensors.TensorPrimitives.Distance<double>(x, _means.AsSpan(c * d, d));
                    if (distance < best)
                    {
                        best = distance;
                        bestClass = c;
                    }
                }
                scores[i] = best;
                acquaintance[i] = bestClass;
                return x;
            }, _ => { });
            return new NoveltyScores(scores, acquaintance);
        }
    }
}

/// <summary>Class means of training features, in double.</summary>
internal static class ClassMeans
{
    /// <summary>The mean of each class's rows, K × d row-major (zeros for a class without samples), and the counts.</summary>
    public static (double[] Means, int[] Counts) Compute(FeatureMatrix x, int[] labels, int classes)
    {
        int d = x.Columns;
        var sums = new double[classes * d];
        var counts = new int[classes];
        for (int i = 0; i < x.Rows; i++)
        {
            int c = labels[i];
            counts[c]++;
            ReadOnlySpan<float> row = x.Row(i);
            Span<double> sum = sums.AsSpan(c * d, d);
            for (int j = 0; j < d; j++)
            {
                sum[j] += row[j];
            }
        }
        for (int c = 0; c < classes; c++)
        {
            if (counts[c] > 0)
            {
                System.Numerics.Tensors.TensorPrimitives.Divide(sums.AsSpan(c * d, d), counts[c], sums.AsSpan(c * d, d));
            }
        }
        return (sums, counts);
    }

    /// <summary>A warning naming the classes without training samples (they have no mean), or none.</summary>
    public static string[] MissingClassWarning(int[] counts)
    {
        var missing = new List<int>();
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0)
            {
                missing.Add(c);
            }
        }
        return missing.Count == 0
            ? []
            : [$"{(missing.Count == 1 ? "class" : "classes")} {ScoringValidation.ClassList(missing)} {(missing.Count == 1 ? "has" : "have")} no training samples and no mean; skipped"];
    }
}
