using System.Globalization;
using System.Text;

namespace Luna.Core.Metrics;

/// <summary>The novelty scores (unfamiliarity factors) of one group of test samples.</summary>
/// <param name="Samples">Test samples in the group.</param>
/// <param name="MeanScore">Arithmetic mean of their scores.</param>
/// <param name="MeanPercentile">
/// Mean of their calibrated percentiles (<see cref="UnfamiliarityCalibration.Percentile"/>, 0..100) among the known
/// validation factors; null when no calibration was given.
/// </param>
public sealed record GroupScore(int Samples, double MeanScore, double? MeanPercentile);

/// <summary>The novelty scores of the test samples of one unknown class.</summary>
/// <param name="Group">The group (near, far, cross, ...) the class belongs to.</param>
/// <param name="Samples">Test samples of the class.</param>
/// <param name="MeanScore">Arithmetic mean of their scores.</param>
/// <param name="MeanPercentile">Mean calibrated percentile, or null without calibration.</param>
public sealed record UnknownClassScore(string Group, int Samples, double MeanScore, double? MeanPercentile);

/// <summary>
/// The unfamiliarity check of docs/method.md: does the factor rise with the hierarchy distance
/// (known 0 &lt; near 1 &lt; far 2 &lt; cross 3)? Produced by <see cref="UnfamiliarityEvaluator.Evaluate"/>.
/// </summary>
/// <param name="Groups">Mean score per group: <c>known</c> first, then the unknown groups (near, far, cross, then other names).</param>
/// <param name="UnknownClasses">Mean score per unknown class name, in order of first appearance; null when no class names were given.</param>
/// <param name="Spearman">
/// Spearman's rank correlation (average ranks for ties, = <c>scipy.stats.spearmanr</c>) between each test sample's
/// score and its hierarchy distance, over the samples of the groups known/near/far/cross; null when none of near, far,
/// cross is present or the scores are all equal.
/// </param>
/// <param name="SpearmanSamples">Samples the correlation was computed on; null with <paramref name="Spearman"/>.</param>
/// <param name="ExpectedOrder">The expected order among the hierarchy groups present, e.g. <c>known &lt; near &lt; far &lt; cross</c>; null when none of near, far, cross is present.</param>
/// <param name="OrderHolds">True when the group means rise strictly along <paramref name="ExpectedOrder"/>; null when it is null.</param>
/// <param name="Verdict">One plain sentence saying whether the order holds, with the means.</param>
/// <param name="CalibrationSamples">Known validation factors behind the percentiles, or null without calibration.</param>
public sealed record UnfamiliarityMetrics(
    IReadOnlyDictionary<string, GroupScore> Groups,
    IReadOnlyDictionary<string, UnknownClassScore>? UnknownClasses,
    double? Spearman,
    int? SpearmanSamples,
    string? ExpectedOrder,
    bool? OrderHolds,
    string Verdict,
    int? CalibrationSamples);

/// <summary>Computes <see cref="UnfamiliarityMetrics"/>.</summary>
public static class UnfamiliarityEvaluator
{
    /// <summary>Mean factor per group and per unknown class, Spearman correlation with the hierarchy distance, and the order verdict.</summary>
    /// <param name="scores">Factor (novelty score) per test sample, length n, finite.</param>
    /// <param name="labels">True label per test sample, length n, -1 unknown.</param>
    /// <param name="groups">Group name per test sample (see <see cref="UnknownGroups.Resolve"/>), or null: all unknowns then form the group <c>unknown</c>.</param>
    /// <param name="unknownClasses">Name of the original class of each unknown sample (ignored for knowns; null or blank = none), or null.</param>
    /// <param name="calibration">Known validation factors for calibrated percentiles, or null.</param>
    /// <exception cref="LunaInputException">Lengths differ, a score is not finite, a group contradicts its label, or one class name appears in two groups.</exception>
    public static UnfamiliarityMetrics Evaluate(
        ReadOnlySpan<double> scores,
        ReadOnlySpan<int> labels,
        IReadOnlyList<string?>? groups = null,
        IReadOnlyList<string?>? unknownClasses = null,
        UnfamiliarityCalibration? calibration = null)
    {
        if (labels.Length != scores.Length)
        {
            throw new LunaInputException($"labels: {labels.Length} labels for {scores.Length} scores");
        }
        if (unknownClasses is not null && unknownClasses.Count != scores.Length)
        {
            throw new LunaInputException($"unknown classes: {unknownClasses.Count} names for {scores.Length} scores");
        }
        for (int i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new LunaInputException($"scores: value {scores[i]} at index {i} is not finite");
            }
        }
        string[] resolved = UnknownGroups.Resolve(labels, groups);
        double[]? percentiles = calibration?.Percentiles(scores);

        var order = new List<string> { UnknownGroups.Known };
        order.AddRange(UnknownGroups.UnknownGroupsInOrder(resolved));
        var sums = new Dictionary<string, (int Count, double Sum, double Percentile)>(StringComparer.Ordinal);
        foreach (string g in order)
        {
            sums[g] = (0, 0.0, 0.0);
        }
        var classSums = new Dictionary<string, (string Group, int Count, double Sum, double Percentile)>(StringComparer.Ordinal);
        var classOrder = new List<string>();
        for (int i = 0; i < scores.Length; i++)
        {
            string g = resolved[i];
            double p = percentiles?[i] ?? 0.0;
            (int c, double s, double ps) = sums[g];
            sums[g] = (c + 1, s + scores[i], ps + p);
            string? cls = labels[i] < 0 && unknownClasses is not null && !string.IsNullOrWhiteSpace(unknownClasses[i]) ? unknownClasses[i]!.Trim() : null;
            if (cls is null)
            {
                continue;
            }
            if (classSums.TryGetValue(cls, out var entry))
            {
                if (entry.Group != g)
                {
                    throw new LunaInputException($"unknown classes: class '{cls}' appears in group '{entry.Group}' and in group '{g}' (sample {i})");
                }
                classSums[cls] = (g, entry.Count + 1, entry.Sum + scores[i], entry.Percentile + p);
            }
            else
            {
                classOrder.Add(cls);
                classSums[cls] = (g, 1, scores[i], p);
            }
        }

        var groupScores = new Dictionary<string, GroupScore>(StringComparer.Ordinal);
        foreach (string g in order)
        {
            (int c, double s, double ps) = sums[g];
            if (c > 0)
            {
                groupScores[g] = new GroupScore(c, s / c, percentiles is null ? null : ps / c);
            }
        }
        Dictionary<string, UnknownClassScore>? classScores = null;
        if (unknownClasses is not null && classOrder.Count > 0)
        {
            classScores = new Dictionary<string, UnknownClassScore>(StringComparer.Ordinal);
            foreach (string cls in classOrder)
            {
                var e = classSums[cls];
                classScores[cls] = new UnknownClassScore(e.Group, e.Count, e.Sum / e.Count, percentiles is null ? null : e.Percentile / e.Count);
            }
        }

        // Hierarchy groups present, in order of distance.
        var present = new List<string>();
        foreach (string g in UnknownGroups.Hierarchy)
        {
            if (groupScores.ContainsKey(g))
            {
                present.Add(g);
            }
        }
        bool checkable = present.Count >= 2 && present[0] == UnknownGroups.Known;
        double? rho = null;
        int? rhoSamples = null;
        string? expected = null;
        bool? holds = null;
        string verdict;
        if (checkable)
        {
            var x = new List<double>();
            var y = new List<double>();
            for (int i = 0; i < scores.Length; i++)
            {
                if (UnknownGroups.HierarchyDistance(resolved[i]) is { } d)
                {
                    x.Add(scores[i]);
                    y.Add(d);
                }
            }
            rho = RankCorrelation.Spearman(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(x), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(y));
            rhoSamples = rho is null ? null : x.Count;
            expected = string.Join(" < ", present);
            string? firstBreak = null;
            for (int k = 1; k < present.Count && firstBreak is null; k++)
            {
                if (!(groupScores[present[k]].MeanScore > groupScores[present[k - 1]].MeanScore))
                {
                    firstBreak = $"{present[k - 1]} {Format(groupScores[present[k - 1]].MeanScore)} ≥ {present[k]} {Format(groupScores[present[k]].MeanScore)}";
                }
            }
            holds = firstBreak is null;
            var text = new StringBuilder();
            if (firstBreak is null)
            {
                text.Append("The mean score rises in the expected order: ");
                text.Append(string.Join(" < ", present.ConvertAll(g => $"{g} {Format(groupScores[g].MeanScore)}")));
            }
            else
            {
                text.Append("The mean score does not rise in the expected order ").Append(expected).Append(": ");
                text.Append(string.Join(", ", present.ConvertAll(g => $"{g} {Format(groupScores[g].MeanScore)}")));
                text.Append(" (").Append(firstBreak).Append(')');
            }
            text.Append(rho is { } r ? $"; Spearman rho with the hierarchy distance {Format(r)}." : "; Spearman rho undefined (all scores equal).");
            verdict = text.ToString();
        }
        else
        {
            verdict = "No near, far or cross group was given, so the unfamiliarity order cannot be checked; mean score "
                + string.Join(", ", groupScores.Select(kv => $"{kv.Key} {Format(kv.Value.MeanScore)}")) + ".";
        }
        return new UnfamiliarityMetrics(groupScores, classScores, rho, rhoSamples, expected, holds, verdict, calibration?.Count);
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
