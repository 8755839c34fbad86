namespace Luna.Core.Metrics;

/// <summary>
/// How well a novelty score (higher = more novel) separates unknown test samples from known ones.
/// Unknown is the <b>positive</b> class throughout (OpenOOD's convention). Produced by <see cref="DetectionEvaluator"/>.
/// </summary>
/// <remarks>
/// Ties between scores are handled as scikit-learn 1.2 handles them: all samples with one score value form a single
/// threshold step (a diagonal segment of the ROC curve, one point of the precision-recall curve).
/// </remarks>
/// <param name="Known">Number of known samples (label ≥ 0), the negatives.</param>
/// <param name="Unknown">Number of unknown samples (label -1), the positives.</param>
/// <param name="Auroc">
/// Area under the ROC curve with unknown positive: the probability that a random unknown sample scores higher than a
/// random known one, ties counting one half (= <c>sklearn.metrics.roc_auc_score(is_unknown, score)</c>).
/// </param>
/// <param name="AuprIn">
/// Average precision with <b>known</b> positive and the negated score as its confidence
/// (= <c>average_precision_score(is_known, -score)</c>): sum over score thresholds of (R_t - R_{t-1})·P_t.
/// </param>
/// <param name="AuprOut">
/// Average precision with unknown positive and the score (= <c>average_precision_score(is_unknown, score)</c>).
/// </param>
/// <param name="FprAt95Tpr">
/// The fraction of unknown samples accepted (score ≤ tau) at the threshold tau that accepts 95% of the known
/// samples: tau is the smallest score such that at least 95% of the known samples have score ≤ tau
/// (<see cref="Thresholds.ScoreAcceptingFraction"/>); unknowns tied with tau count as accepted. Equals the false
/// positive rate at the first point with TPR ≥ 0.95 of <c>roc_curve(is_known, -score, drop_intermediate=False)</c>.
/// </param>
/// <param name="ThresholdAt95Tpr">The threshold tau used by <paramref name="FprAt95Tpr"/>.</param>
public sealed record DetectionMetrics(int Known, int Unknown, double Auroc, double AuprIn, double AuprOut, double FprAt95Tpr, double ThresholdAt95Tpr);

/// <summary>
/// Detection metrics of a novelty score (docs/metrics.md), unknown = positive, each O(n log n) with one sort.
/// Ties are grouped into one threshold step as in scikit-learn's <c>roc_curve</c> and <c>precision_recall_curve</c>.
/// </summary>
public static class DetectionEvaluator
{
    /// <summary>The known-acceptance level of <see cref="DetectionMetrics.FprAt95Tpr"/>: 0.95.</summary>
    public const double TprLevel = 0.95;

    /// <summary>Computes every detection metric, unknown (label -1) positive.</summary>
    /// <param name="scores">Novelty score per sample (higher = more novel), length n, finite.</param>
    /// <param name="labels">Label per sample, length n: -1 unknown, ≥ 0 known.</param>
    /// <exception cref="LunaInputException">Lengths differ, a score is not finite, a label is below -1, or there is no unknown or no known sample.</exception>
    public static DetectionMetrics Evaluate(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        if (labels.Length != scores.Length)
        {
            throw new LunaInputException($"labels: {labels.Length} labels for {scores.Length} scores");
        }
        var isUnknown = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < -1)
            {
                throw new LunaInputException($"labels: value {labels[i]} at index {i} is not a class (≥ 0) or -1 (unknown)");
            }
            isUnknown[i] = labels[i] == -1;
        }
        return Evaluate(scores, isUnknown);
    }

    /// <summary>Computes every detection metric from a mask of unknown (positive) samples.</summary>
    /// <param name="scores">Novelty score per sample (higher = more novel), length n, finite.</param>
    /// <param name="isUnknown">True for unknown samples, length n.</param>
    /// <exception cref="LunaInputException">Lengths differ, a score is not finite, or there is no unknown or no known sample.</exception>
    public static DetectionMetrics Evaluate(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isUnknown)
    {
        SortedSamples sorted = Sort(scores, isUnknown);
        double auroc = Auroc(sorted);
        double auprOut = AveragePrecision(sorted, flaggedPositive: true);
        double auprIn = AveragePrecision(sorted, flaggedPositive: false);
        (double fpr, double tau) = FprAtTpr(sorted, TprLevel);
        return new DetectionMetrics(sorted.Negatives, sorted.Positives, auroc, auprIn, auprOut, fpr, tau);
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="scores"/> for the positives <paramref name="isPositive"/>
    /// (= <c>roc_auc_score(is_positive, scores)</c>): (#{pos &gt; neg pairs} + ½·#{tied pairs}) / (P·N).
    /// </summary>
    public static double Auroc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isPositive) => Auroc(Sort(scores, isPositive));

    /// <summary>
    /// Average precision of <paramref name="scores"/> (higher = more positive) for the positives
    /// <paramref name="isPositive"/> (= <c>average_precision_score(is_positive, scores)</c>):
    /// sum over distinct score thresholds t, from the highest, of (R_t - R_{t-1})·P_t, where P_t and R_t are the
    /// precision and recall of "score ≥ t".
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isPositive)
        => AveragePrecision(Sort(scores, isPositive), flaggedPositive: true);

    /// <summary>
    /// The fraction of unknown samples with score ≤ tau, where tau is the smallest score such that at least a fraction
    /// <paramref name="tpr"/> of the known samples have score ≤ tau.
    /// </summary>
    /// <param name="scores">Novelty scores, higher = more novel.</param>
    /// <param name="isUnknown">True for unknown samples.</param>
    /// <param name="tpr">Fraction of known samples to accept, in (0, 1].</param>
    /// <returns>The false positive rate and tau.</returns>
    public static (double Fpr, double Threshold) FprAtTpr(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isUnknown, double tpr = TprLevel)
        => FprAtTpr(Sort(scores, isUnknown), tpr);

    private static double Auroc(SortedSamples s)
    {
        // Ascending walk: every positive in a tie group beats all negatives below the group and ties with the
        // negatives inside it. twice = 2·(#pos>neg) + #ties, exact in integers.
        long twice = 0;
        long negativesBelow = 0;
        int i = 0;
        while (i < s.Scores.Length)
        {
            int j = i;
            long p = 0;
            long q = 0;
            while (j < s.Scores.Length && s.Scores[j] == s.Scores[i])
            {
                if (s.Positive[j])
                {
                    p++;
                }
                else
                {
                    q++;
                }
                j++;
            }
            twice += (2 * p * negativesBelow) + (p * q);
            negativesBelow += q;
            i = j;
        }
        return twice / (2.0 * s.Positives * s.Negatives);
    }

    private static double AveragePrecision(SortedSamples s, bool flaggedPositive)
    {
        // flaggedPositive: the flagged samples (unknowns) are positive and thresholds run from the highest score down.
        // Otherwise the unflagged samples (knowns) are positive with the negated score, so thresholds run
        // from the lowest score up. Each tie group is one threshold: AP += (new TP / P) · TP / (TP + FP).
        int n = s.Scores.Length;
        long tp = 0;
        long fp = 0;
        double sum = 0.0;
        int total = flaggedPositive ? s.Positives : s.Negatives;
        int i = flaggedPositive ? n - 1 : 0;
        int step = flaggedPositive ? -1 : 1;
        while (i >= 0 && i < n)
        {
            int j = i;
            long newTp = 0;
            while (j >= 0 && j < n && s.Scores[j] == s.Scores[i])
            {
                if (s.Positive[j] == flaggedPositive)
                {
                    newTp++;
                }
                else
                {
                    fp++;
                }
                j += step;
            }
            tp += newTp;
            if (newTp > 0)
            {
                sum += newTp * ((double)tp / (tp + fp));
            }
            i = j;
        }
        return sum / total;
    }

    private static (double Fpr, double Threshold) FprAtTpr(SortedSamples s, double tpr)
    {
        int k = Thresholds.AcceptedCount(s.Negatives, tpr);
        // tau = k-th smallest known score; then count unknowns with score ≤ tau.
        int seen = 0;
        double tau = double.NaN;
        for (int i = 0; i < s.Scores.Length; i++)
        {
            if (!s.Positive[i] && ++seen == k)
            {
                tau = s.Scores[i];
                break;
            }
        }
        int accepted = 0;
        for (int i = 0; i < s.Scores.Length && s.Scores[i] <= tau; i++)
        {
            if (s.Positive[i])
            {
                accepted++;
            }
        }
        return ((double)accepted / s.Positives, tau);
    }

    private static SortedSamples Sort(ReadOnlySpan<double> scores, ReadOnlySpan<bool> isPositive)
    {
        if (isPositive.Length != scores.Length)
        {
            throw new LunaInputException($"labels: {isPositive.Length} labels for {scores.Length} scores");
        }
        int positives = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new LunaInputException($"scores: value {scores[i]} at index {i} is not finite");
            }
            if (isPositive[i])
            {
                positives++;
            }
        }
        int negatives = scores.Length - positives;
        if (positives == 0)
        {
            throw new LunaInputException($"labels: none of the {scores.Length} samples is unknown (-1); AUROC and the other detection metrics need unknown samples");
        }
        if (negatives == 0)
        {
            throw new LunaInputException($"labels: all {scores.Length} samples are unknown (-1); AUROC and the other detection metrics need known samples");
        }
        double[] keys = scores.ToArray();
        bool[] items = isPositive.ToArray();
        Array.Sort(keys, items);
        return new SortedSamples(keys, items, positives, negatives);
    }

    private readonly record struct SortedSamples(double[] Scores, bool[] Positive, int Positives, int Negatives);
}
