using System.Text.Json.Serialization;

namespace Luna.Core.Metrics;

/// <summary>
/// Rejection thresholds on a novelty score (higher = more novel): a query is <b>unknown</b> when its score is
/// strictly above the threshold tau that applies to it, and <b>accepted</b> (known) when score ≤ tau.
/// </summary>
/// <remarks>
/// <para>
/// <b>The accept-fraction rule.</b> For n known-only validation scores and an accept fraction q in (0, 1]
/// (default 0.95), let k be the smallest integer with k / n ≥ q (k = ceil(q·n), the comparison done in double
/// precision exactly as scikit-learn compares a true positive rate with 0.95). tau is the k-th smallest validation
/// score, that is the smallest score value such that at least a fraction q of the validation samples have
/// score ≤ tau (numpy's <c>quantile(..., method="inverted_cdf")</c>). Exactly k validation samples are accepted
/// unless other samples tie with the k-th one; tied samples are all accepted.
/// </para>
/// <para>
/// <b>Per-class thresholds.</b> At test time the true class of a query is unknown, so the class that selects a
/// per-class threshold is the query's <i>predicted</i> class (LUNA's acquaintance or the classifier's top-1,
/// whichever the caller uses, the same kind for validation and test). tau_c is the accept-fraction rule applied to
/// the validation samples whose predicted class is c. A class with no validation sample (or fewer than the
/// requested minimum) uses the global threshold, which is the rule applied to all validation samples.
/// </para>
/// </remarks>
public sealed class Thresholds
{
    /// <summary>The default accept fraction, 0.95 (95% of known validation samples accepted).</summary>
    public const double DefaultAcceptFraction = 0.95;

    private readonly Dictionary<int, double>? _perClass;

    private Thresholds(double global, Dictionary<int, double>? perClass, double? acceptFraction, int? validationSamples)
    {
        Global = global;
        _perClass = perClass;
        AcceptFraction = acceptFraction;
        ValidationSamples = validationSamples;
    }

    /// <summary>The global threshold tau: reject when score &gt; tau.</summary>
    public double Global { get; }

    /// <summary>
    /// Per-class thresholds tau_c by predicted class, only for classes with enough validation samples; null when the
    /// thresholds are global only. Other classes use <see cref="Global"/>.
    /// </summary>
    public IReadOnlyDictionary<int, double>? PerClass => _perClass;

    /// <summary>The accept fraction q the thresholds were chosen at, or null for a fixed threshold given by the user.</summary>
    public double? AcceptFraction { get; }

    /// <summary>Number of validation scores the thresholds were chosen on, or null for a fixed threshold.</summary>
    public int? ValidationSamples { get; }

    /// <summary>True when per-class thresholds are in use (the caller must supply each query's predicted class).</summary>
    [JsonIgnore]
    public bool IsPerClass => _perClass is not null;

    /// <summary>A fixed global threshold (for example given on the command line).</summary>
    /// <exception cref="LunaInputException"><paramref name="threshold"/> is NaN or infinite.</exception>
    public static Thresholds Fixed(double threshold)
    {
        if (!double.IsFinite(threshold))
        {
            throw new LunaInputException($"threshold: value {threshold} is not a finite number");
        }
        return new Thresholds(threshold, null, null, null);
    }

    /// <summary>The global threshold accepting a fraction <paramref name="acceptFraction"/> of the validation scores.</summary>
    /// <param name="validationScores">Novelty scores of known-only validation samples, n ≥ 1, finite.</param>
    /// <param name="acceptFraction">q in (0, 1].</param>
    /// <exception cref="LunaInputException">No scores, a non-finite score, or q outside (0, 1].</exception>
    public static Thresholds FromValidation(ReadOnlySpan<double> validationScores, double acceptFraction = DefaultAcceptFraction)
        => new(ScoreAcceptingFraction(validationScores, acceptFraction), null, acceptFraction, validationScores.Length);

    /// <summary>
    /// Per-class thresholds: tau_c accepts a fraction <paramref name="acceptFraction"/> of the validation samples whose
    /// predicted class is c; classes with fewer than <paramref name="minimumPerClass"/> such samples, and queries whose
    /// predicted class is negative, fall back to the global threshold over all validation samples.
    /// </summary>
    /// <param name="validationScores">Novelty scores of known-only validation samples, length n ≥ 1.</param>
    /// <param name="predictedClasses">Predicted class (acquaintance or top-1) of each validation sample, length n; negative = none.</param>
    /// <param name="acceptFraction">q in (0, 1].</param>
    /// <param name="minimumPerClass">Fewest validation samples a class needs for its own threshold, ≥ 1.</param>
    /// <exception cref="LunaInputException">Lengths differ, no scores, a non-finite score, or q outside (0, 1].</exception>
    public static Thresholds FromValidationPerClass(ReadOnlySpan<double> validationScores, ReadOnlySpan<int> predictedClasses, double acceptFraction = DefaultAcceptFraction, int minimumPerClass = 1)
    {
        if (predictedClasses.Length != validationScores.Length)
        {
            throw new LunaInputException($"validation classes: {predictedClasses.Length} values for {validationScores.Length} validation scores");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumPerClass, 1);
        double global = ScoreAcceptingFraction(validationScores, acceptFraction);
        var byClass = new SortedDictionary<int, List<double>>();
        for (int i = 0; i < validationScores.Length; i++)
        {
            int c = predictedClasses[i];
            if (c < 0)
            {
                continue;
            }
            if (!byClass.TryGetValue(c, out List<double>? list))
            {
                list = new List<double>();
                byClass.Add(c, list);
            }
            list.Add(validationScores[i]);
        }
        var perClass = new Dictionary<int, double>();
        foreach ((int c, List<double> scores) in byClass)
        {
            if (scores.Count >= minimumPerClass)
            {
                perClass.Add(c, ScoreAcceptingFraction(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(scores), acceptFraction));
            }
        }
        return new Thresholds(global, perClass, acceptFraction, validationScores.Length);
    }

    /// <summary>The threshold for a query whose predicted class is <paramref name="predictedClass"/>: tau_c when there is one, else the global tau.</summary>
    public double For(int predictedClass)
        => _perClass is not null && _perClass.TryGetValue(predictedClass, out double tau) ? tau : Global;

    /// <summary>True when the query is rejected as unknown: score &gt; <see cref="For"/>(predictedClass).</summary>
    public bool Rejects(double score, int predictedClass = -1) => score > For(predictedClass);

    /// <summary>
    /// Open-set predictions: -1 where the query is rejected (score &gt; its threshold), the given prediction elsewhere.
    /// </summary>
    /// <param name="scores">Novelty score per query, length m.</param>
    /// <param name="predictions">Class prediction per query, length m (a -1 stays -1).</param>
    /// <param name="thresholdClasses">Predicted class that selects each query's per-class threshold, length m; may be empty when the thresholds are global.</param>
    /// <exception cref="LunaInputException">Lengths differ, or per-class thresholds without <paramref name="thresholdClasses"/>.</exception>
    public int[] Apply(ReadOnlySpan<double> scores, ReadOnlySpan<int> predictions, ReadOnlySpan<int> thresholdClasses = default)
    {
        if (predictions.Length != scores.Length)
        {
            throw new LunaInputException($"predictions: {predictions.Length} values for {scores.Length} scores");
        }
        bool perClass = IsPerClass;
        if (perClass && thresholdClasses.Length != scores.Length)
        {
            throw new LunaInputException($"per-class thresholds need the predicted class (acquaintance) of every query: {thresholdClasses.Length} values for {scores.Length} scores");
        }
        var result = new int[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            bool rejected = scores[i] > (perClass ? For(thresholdClasses[i]) : Global);
            result[i] = rejected ? -1 : predictions[i];
        }
        return result;
    }

    /// <summary>
    /// Which queries are rejected (score &gt; threshold); <paramref name="thresholdClasses"/> as in <see cref="Apply"/>.
    /// </summary>
    public bool[] Rejected(ReadOnlySpan<double> scores, ReadOnlySpan<int> thresholdClasses = default)
    {
        bool perClass = IsPerClass;
        if (perClass && thresholdClasses.Length != scores.Length)
        {
            throw new LunaInputException($"per-class thresholds need the predicted class (acquaintance) of every query: {thresholdClasses.Length} values for {scores.Length} scores");
        }
        var result = new bool[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            result[i] = scores[i] > (perClass ? For(thresholdClasses[i]) : Global);
        }
        return result;
    }

    /// <summary>
    /// k, the number of samples out of <paramref name="n"/> that an accept fraction q must accept: the smallest integer
    /// with k / n ≥ q in double precision (= ceil(q·n) up to rounding, at least 1).
    /// </summary>
    /// <exception cref="LunaInputException">n &lt; 1 or q outside (0, 1].</exception>
    public static int AcceptedCount(int n, double acceptFraction)
    {
        if (n < 1)
        {
            throw new LunaInputException($"validation scores: there are {n} known scores to choose a threshold on; at least 1 is needed");
        }
        if (!(acceptFraction > 0.0 && acceptFraction <= 1.0))
        {
            throw new LunaInputException($"--accept-fraction: value {acceptFraction} is not in (0, 1]");
        }
        int k = (int)Math.Ceiling(acceptFraction * n);
        k = Math.Clamp(k, 1, n);
        while (k > 1 && (double)(k - 1) / n >= acceptFraction)
        {
            k--;
        }
        while (k < n && (double)k / n < acceptFraction)
        {
            k++;
        }
        return k;
    }

    /// <summary>
    /// tau = the k-th smallest of <paramref name="knownScores"/> with k = <see cref="AcceptedCount"/>(n, q):
    /// the smallest value such that at least a fraction q of the scores are ≤ tau. O(n log n).
    /// </summary>
    /// <exception cref="LunaInputException">No scores, a non-finite score, or q outside (0, 1].</exception>
    public static double ScoreAcceptingFraction(ReadOnlySpan<double> knownScores, double acceptFraction = DefaultAcceptFraction)
    {
        int k = AcceptedCount(knownScores.Length, acceptFraction);
        double[] sorted = knownScores.ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            if (!double.IsFinite(sorted[i]))
            {
                throw new LunaInputException($"scores: value {sorted[i]} at index {i} is not finite");
            }
        }
        Array.Sort(sorted);
        return sorted[k - 1];
    }
}
