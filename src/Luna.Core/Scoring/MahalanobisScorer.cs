using System.Globalization;
using System.Numerics.Tensors;
using Luna.Core.Data;

namespace Luna.Core.Scoring;

/// <summary>
/// Mahalanobis distance to the nearest class mean with a shared covariance (Lee et al. 2018), registry name
/// <c>mahalanobis</c>, on the raw features (never normalised):
/// <code>
/// μ_c   = mean of class c's training features
/// Σ     = 1/n · sum_i (x_i - μ_{y_i}) (x_i - μ_{y_i})ᵀ          (pooled within-class covariance, d × d)
/// score = min_c sqrt((x - μ_c)ᵀ Σ⁻¹ (x - μ_c))                  acquaintance = the argmin class (ties: lower class)
/// </code>
/// Computed in double through the Cholesky factor Σ = L Lᵀ: score_c = ||L⁻¹x - L⁻¹μ_c||₂.
/// </summary>
/// <remarks>
/// Regularisation: with s = trace(Σ)/d (1 when Σ = 0), Σ is used as it is when every Cholesky pivot exceeds
/// 1e-12·s; otherwise Σ + εI is used with ε = 1e-6·s, or 1e-5·s, 1e-4·s, ... (the first that passes), and the fitted
/// model's warnings say which ε. This happens when Σ is singular: fewer samples than n - K &lt; d, or a constant dimension.
/// Classes without training samples are skipped.
/// </remarks>
public sealed class MahalanobisScorer : INoveltyScorer
{
    /// <summary>The registry name.</summary>
    public const string RegistryName = "mahalanobis";

    /// <summary>A Cholesky pivot must exceed this times trace(Σ)/d, or Σ is regularised.</summary>
    public const double PivotTolerance = 1e-12;

    /// <summary>The first ridge tried, as a multiple of trace(Σ)/d; multiplied by 10 until the factorisation passes.</summary>
    public const double InitialRidge = 1e-6;

    /// <summary>Creates the score (<see cref="NoveltyScorerOptions.Default"/> when null; no setting applies).</summary>
    public MahalanobisScorer(NoveltyScorerOptions? options = null)
    {
        Options = options ?? NoveltyScorerOptions.Default;
    }

    /// <summary>The settings (none applies: the features are always used raw).</summary>
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
        FeatureMatrix x = training.Features;
        int d = x.Columns;
        (double[] means, int[] counts) = ClassMeans.Compute(x, training.Labels, shape.Classes);
        var warnings = new List<string>(ClassMeans.MissingClassWarning(counts));
        double[] covariance = PooledCovariance(x, training.Labels, means, cancellationToken);
        double scale = 0;
        for (int j = 0; j < d; j++)
        {
            scale += covariance[(j * d) + j];
        }
        scale = scale > 0 ? scale / d : 1.0;
        double[]? factor = Cholesky(covariance, d, 0, PivotTolerance * scale);
        double ridge = InitialRidge;
        while (factor is null)
        {
            factor = Cholesky(covariance, d, ridge * scale, PivotTolerance * scale);
            if (factor is null)
            {
                ridge *= 10;
                if (ridge > 1e6)
                {
                    throw new InvalidOperationException("mahalanobis: the pooled covariance could not be factorised even with a ridge of 1e6 × trace(Σ)/d.");
                }
                continue;
            }
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"the pooled covariance ({d} × {d}, from {x.Rows} samples) is singular or ill-conditioned; regularised as Σ + εI with ε = {ridge * scale:G6} ({ridge.ToString("0e0", CultureInfo.InvariantCulture)} × trace(Σ)/d)"));
        }
        var whitenedMeans = new double[means.Length];
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] > 0)
            {
                ForwardSubstitute(factor, d, means.AsSpan(c * d, d), whitenedMeans.AsSpan(c * d, d));
            }
        }
        return new Model(shape, factor, whitenedMeans, counts, warnings.ToArray());
    }

    /// <summary>Σ = 1/n · sum_i (x_i - μ_{y_i})(x_i - μ_{y_i})ᵀ, d × d row-major; each entry summed over i in order (deterministic).</summary>
    internal static double[] PooledCovariance(FeatureMatrix x, int[] labels, double[] means, CancellationToken cancellationToken)
    {
        int n = x.Rows;
        int d = x.Columns;
        var covariance = new double[d * d];
        int blocks = Math.Max(1, Math.Min(d, Environment.ProcessorCount * 4));
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, blocks, options, block =>
        {
            int a0 = (int)((long)d * block / blocks);
            int a1 = (int)((long)d * (block + 1) / blocks);
            var v = new double[d];
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> row = x.Row(i);
                ReadOnlySpan<double> mean = means.AsSpan(labels[i] * d, d);
                for (int j = 0; j < a1; j++)
                {
                    v[j] = row[j] - mean[j];
                }
                for (int a = a0; a < a1; a++)
                {
                    Span<double> target = covariance.AsSpan(a * d, a + 1);
                    TensorPrimitives.MultiplyAdd(v.AsSpan(0, a + 1), v[a], target, target);
                }
            }
        });
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double value = covariance[(a * d) + b] / n;
                covariance[(a * d) + b] = value;
                covariance[(b * d) + a] = value;
            }
        }
        return covariance;
    }

    /// <summary>
    /// The lower Cholesky factor L of (A + ridge·I), d × d row-major, or null when a pivot is not above <paramref name="minPivot"/>.
    /// </summary>
    internal static double[]? Cholesky(double[] a, int d, double ridge, double minPivot)
    {
        var l = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            ReadOnlySpan<double> rowJ = l.AsSpan(j * d, j);
            double pivot = a[(j * d) + j] + ridge - TensorPrimitives.Dot(rowJ, rowJ);
            if (!(pivot > minPivot))
            {
                return null;
            }
            double diagonal = Math.Sqrt(pivot);
            l[(j * d) + j] = diagonal;
            for (int i = j + 1; i < d; i++)
            {
                l[(i * d) + j] = (a[(i * d) + j] - TensorPrimitives.Dot<double>(l.AsSpan(i * d, j), rowJ)) / diagonal;
            }
        }
        return l;
    }

    /// <summary>Solves L z = b for z by forward substitution (L lower-triangular, d × d row-major).</summary>
    internal static void ForwardSubstitute(double[] l, int d, ReadOnlySpan<double> b, Span<double> z)
    {
        for (int j = 0; j < d; j++)
        {
            double dot = TensorPrimitives.Dot<double>(l.AsSpan(j * d, j), z[..j]);
            z[j] = (b[j] - dot) / l[(j * d) + j];
        }
    }

    private sealed class Model : IFittedNoveltyScorer
    {
        private readonly TrainingShape _shape;
        private readonly double[] _factor;
        private readonly double[] _whitenedMeans;
        private readonly int[] _counts;

        public Model(TrainingShape shape, double[] factor, double[] whitenedMeans, int[] counts, string[] warnings)
        {
            _shape = shape;
            _factor = factor;
            _whitenedMeans = whitenedMeans;
            _counts = counts;
            Warnings = warnings;
        }

        public string Name => RegistryName;

        public IReadOnlyList<string> Warnings { get; }

        public NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default)
        {
            ScoringValidation.Query(query, _shape, Name, needsLogits: false);
            FeatureMatrix q = query.Features;
            int m = q.Rows;
            int d = q.Columns;
            var scores = new double[m];
            var acquaintance = new int[m];
            var options = new ParallelOptions { CancellationToken = cancellationToken };
            Parallel.For(0, m, options, () => (new double[d], new double[d]), (i, _, buffers) =>
            {
                (double[] x, double[] z) = buffers;
                ReadOnlySpan<float> row = q.Row(i);
                for (int j = 0; j < d; j++)
                {
                    x[j] = row[j];
                }
                ForwardSubstitute(_factor, d, x, z);
                double best = double.PositiveInfinity;
                int bestClass = -1;
                for (int c = 0; c < _counts.Length; c++)
                {
                    if (_counts[c] == 0)
                    {
                        continue;
                    }
                    double distance = TensorPrimitives.Distance<double>(z, _whitenedMeans.AsSpan(c * d, d));
                    if (distance < best)
                    {
                        best = distance;
                        bestClass = c;
                    }
                }
                scores[i] = best;
                acquaintance[i] = bestClass;
                return buffers;
            }, _ => { });
            return new NoveltyScores(scores, acquaintance);
        }
    }
}
