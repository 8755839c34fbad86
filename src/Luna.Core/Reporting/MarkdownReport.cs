using System.Globalization;
using System.Text;
using Luna.Core.Evaluation;
using Luna.Core.Metrics;

namespace Luna.Core.Reporting;

/// <summary>The evaluation of one trained model: which loss, which seed, and every score's test results.</summary>
/// <param name="Loss">The training loss (<c>ce</c>, <c>center</c>, <c>wcenter</c>, ...), or a name for features from elsewhere.</param>
/// <param name="Seed">The seed of the run.</param>
/// <param name="Evaluation">The open-set evaluation of the run.</param>
public sealed record RunResult(string Loss, int Seed, EvaluationResult Evaluation);

/// <summary>
/// Writes the benchmark report (<c>report.md</c>): closed-set accuracy by shot group, open-set accuracy and F-measure at
/// the validation threshold, detection metrics overall and per unknown group, LUNA's candidate rules, and the
/// unfamiliarity order, each as mean ± std over seeds, each table introduced by one sentence saying what it means.
/// </summary>
public static class MarkdownReport
{
    private static readonly string[] s_hierarchy = [UnknownGroups.Known, UnknownGroups.Near, UnknownGroups.Far, UnknownGroups.Cross];

    /// <summary>Builds the whole report.</summary>
    /// <param name="title">The first heading.</param>
    /// <param name="preamble">Markdown lines after the title (data, settings, reproduction command).</param>
    /// <param name="runs">Every run; rows group runs by loss, columns summarise over seeds.</param>
    /// <param name="rowHeader">What the first column names (<see cref="RunResult.Loss"/>): <c>loss</c> for trained runs,
    /// or, for one evaluation of given features or a given model, what they are (<c>features</c>, <c>model</c>).</param>
    /// <param name="seeded">Whether the runs are seeds of a training run (the demo); false for one evaluation of given
    /// features or a model, whose report then says nothing of seeds.</param>
    public static string Build(string title, IReadOnlyList<string> preamble, IReadOnlyList<RunResult> runs, string rowHeader = "loss", bool seeded = true)
    {
        ArgumentNullException.ThrowIfNull(preamble);
        ArgumentNullException.ThrowIfNull(runs);
        var md = new StringBuilder();
        md.Append("# ").AppendLine(title).AppendLine();
        foreach (string line in preamble)
        {
            md.AppendLine(line);
        }
        md.AppendLine();
        List<string> losses = Distinct(runs, r => r.Loss);
        List<string> scores = ScoreNames(runs);
        int seeds = Distinct(runs, r => r.Seed.ToString(CultureInfo.InvariantCulture)).Count;
        md.AppendLine(seeded
            ? string.Create(CultureInfo.InvariantCulture, $"Every number is the mean ± sample standard deviation over {seeds} seed{(seeds == 1 ? "" : "s")} ({Seeds(runs)}). Higher score = more novel; unknown = positive class.")
            : "Every number is from one evaluation of the features. Higher score = more novel; unknown = positive class.");
        md.AppendLine();

        ClosedSet(md, runs, losses, rowHeader);
        OpenSet(md, runs, losses, scores, rowHeader);
        Detection(md, runs, losses, scores, rowHeader);
        DetectionPerGroup(md, runs, losses, scores, rowHeader);
        LunaRules(md, runs, losses, rowHeader);
        Unfamiliarity(md, runs, losses, rowHeader, seeded);
        Notes(md, runs);
        return md.ToString();
    }

    private static void ClosedSet(StringBuilder md, IReadOnlyList<RunResult> runs, List<string> losses, string row)
    {
        md.AppendLine("## Closed-set accuracy");
        md.AppendLine();
        md.AppendLine("Top-1 accuracy on the known test images without any rejection: overall, and the mean per-class accuracy of the many- (> 100 training images), medium- (20–100) and few-shot (< 20) classes; `luna acquaintance` predicts each image's LUNA acquaintance instead of the classifier's top-1.");
        md.AppendLine();
        md.Append("| ").Append(row).AppendLine(" | predictor | overall | many | medium | few |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (string loss in losses)
        {
            List<RunResult> rs = Of(runs, loss);
            AccuracyRow(md, loss, "top-1", rs, r => r.Evaluation.ClosedSetTop1);
            AccuracyRow(md, loss, "luna acquaintance", rs, r => r.Evaluation.Find("luna")?.AcquaintanceClosedSet);
        }
        md.AppendLine();
    }

    private static void AccuracyRow(StringBuilder md, string loss, string predictor, List<RunResult> rs, Func<RunResult, AccuracyMetrics?> get)
    {
        if (rs.TrueForAll(r => get(r) is null))
        {
            return;
        }
        md.Append(CultureInfo.InvariantCulture, $"| {loss} | {predictor} | ");
        md.Append(Cell(rs, r => get(r)?.Accuracy)).Append(" | ");
        md.Append(Cell(rs, r => get(r)?.Many?.Accuracy)).Append(" | ");
        md.Append(Cell(rs, r => get(r)?.Medium?.Accuracy)).Append(" | ");
        md.Append(Cell(rs, r => get(r)?.Few?.Accuracy)).AppendLine(" |");
    }

    private static void OpenSet(StringBuilder md, IReadOnlyList<RunResult> runs, List<string> losses, List<string> scores, string row)
    {
        md.AppendLine("## Open-set accuracy and F-measure");
        md.AppendLine();
        md.AppendLine("Each score rejects a test image as unknown when it is above the threshold that accepts 95% of the known validation images; open-set accuracy counts a rejected known image as an error, and the F-measure is OLTR's (TP = known image given its own class, FP = known image given another class or rejected, FN = unknown image given a known class). `msp-oltr` is OLTR's own rule (reject when the max softmax probability is below 0.1).");
        md.AppendLine();
        md.Append("| ").Append(row).AppendLine(" | score | predictor | known rejected | unknown rejected | open-set accuracy | F-measure |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (string loss in losses)
        {
            List<RunResult> rs = Of(runs, loss);
            foreach (string score in scores)
            {
                Func<RunResult, ScoreEvaluation?> get = score == "msp-oltr" ? r => r.Evaluation.OltrRule : r => r.Evaluation.Find(score);
                if (rs.TrueForAll(r => get(r)?.Metrics.OpenSet is null))
                {
                    continue;
                }
                md.Append(CultureInfo.InvariantCulture, $"| {loss} | {score} | {Predictors(rs, get)} | ");
                md.Append(Cell(rs, r => get(r)?.Metrics.OpenSet?.Rejection.KnownRejectedRate)).Append(" | ");
                md.Append(Cell(rs, r => get(r)?.Metrics.OpenSet?.Rejection.UnknownRejectedRate)).Append(" | ");
                md.Append(Cell(rs, r => get(r)?.Metrics.OpenSet?.Accuracy?.Accuracy)).Append(" | ");
                md.Append(Cell(rs, r => get(r)?.Metrics.OpenSet?.FMeasure?.FMeasure)).AppendLine(" |");
            }
        }
        md.AppendLine();
    }

    private static void Detection(StringBuilder md, IReadOnlyList<RunResult> runs, List<string> losses, List<string> scores, string row)
    {
        md.AppendLine("## Known/unknown detection");
        md.AppendLine();
        md.AppendLine("How well each score separates known from unknown test images, independent of any threshold: AUROC (1 = perfect, 0.5 = chance), AUPR-In (known as positive), AUPR-Out (unknown as positive), and FPR@95TPR (the fraction of unknown images accepted at the threshold that accepts 95% of the known test images; lower is better).");
        md.AppendLine();
        md.Append("| ").Append(row).AppendLine(" | score | AUROC | AUPR-In | AUPR-Out | FPR@95TPR |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (string loss in losses)
        {
            List<RunResult> rs = Of(runs, loss);
            foreach (string score in scores)
            {
                if (score == "msp-oltr" || rs.TrueForAll(r => r.Evaluation.Find(score) is null))
                {
                    continue;
                }
                md.Append(CultureInfo.InvariantCulture, $"| {loss} | {score} | ");
                md.Append(Cell(rs, r => r.Evaluation.Find(score)?.Metrics.Detection.Overall.Auroc)).Append(" | ");
                md.Append(Cell(rs, r => r.Evaluation.Find(score)?.Metrics.Detection.Overall.AuprIn)).Append(" | ");
                md.Append(Cell(rs, r => r.Evaluation.Find(score)?.Metrics.Detection.Overall.AuprOut)).Append(" | ");
                md.Append(Cell(rs, r => r.Evaluation.Find(score)?.Metrics.Detection.Overall.FprAt95Tpr)).AppendLine(" |");
            }
        }
        md.AppendLine();
    }

    private static void DetectionPerGroup(StringBuilder md, IReadOnlyList<RunResult> runs, List<string> losses, List<string> scores, string row)
    {
        List<string> groups = UnknownGroupNames(runs);
        if (groups.Count == 0)
        {
            return;
        }
        md.AppendLine("## Detection per unknown group");
        md.AppendLine();
        md.AppendLine("AUROC and FPR@95TPR of all known test images against the unknowns of one group at a time: `near` = same domain with a sibling class known, `far` = same domain without one, `cross` = another domain.");
        md.AppendLine();
        md.Append("| ").Append(row).Append(" | score |");
        foreach (string g in groups)
        {
            md.Append(CultureInfo.InvariantCulture, $" AUROC {g} |");
        }
        foreach (string g in groups)
        {
            md.Append(CultureInfo.InvariantCulture, $" FPR@95 {g} |");
        }
        md.AppendLine();
        md.Append("| --- | --- |");
        for (int i = 0; i < 2 * groups.Count; i++)
        {
            md.Append(" --- |");
        }
        md.AppendLine();
        foreach (string loss in losses)
        {
            List<RunResult> rs = Of(runs, loss);
            foreach (string score in scores)
            {
                if (score == "msp-oltr" || rs.TrueForAll(r => r.Evaluation.Find(score) is null))
                {
                    continue;
                }
                md.Append(CultureInfo.InvariantCulture, $"| {loss} | {score} |");
                foreach (string g in groups)
                {
                    md.Append(' ').Append(Cell(rs, r => GroupMetric(r.Evaluation.Find(score)?.Metrics.Detection, g)?.Auroc)).Append(" |");
                }
                foreach (string g in groups)
                {
                    md.Append(' ').Append(Cell(rs, r => GroupMetric(r.Evaluation.Find(score)?.Metrics.Detection, g)?.FprAt95Tpr)).Append(" |");
                }
                md.AppendLine();
            }
        }
        md.AppendLine();
    }

    private static void LunaRules(StringBuilder md, IReadOnlyList<RunResult> runs, List<string> losses, string row)
    {
        if (runs.All(r => r.Evaluation.LunaRules is null))
        {
            return;
        }
        List<string> groups = UnknownGroupNames(runs);
        md.AppendLine("## LUNA's candidate rules");
        md.AppendLine();
        md.AppendLine("LUNA judges each image against candidate classes: `neighbours` (the classes among its k nearest training features plus the classifier's top-1; the default), `top1` (the classifier's class only), or `all` (classes ignored, which is LOF); AUROC per rule, and the closed-set accuracy of predicting the acquaintance.");
        md.AppendLine();
        md.Append("| ").Append(row).Append(" | rule | AUROC |");
        foreach (string g in groups)
        {
            md.Append(CultureInfo.InvariantCulture, $" AUROC {g} |");
        }
        md.AppendLine(" acquaintance accuracy | acquaintance few-shot |");
        md.Append("| --- | --- | --- |");
        for (int i = 0; i < groups.Count + 2; i++)
        {
            md.Append(" --- |");
        }
        md.AppendLine();
        foreach (string loss in losses)
        {
            List<RunResult> rs = Of(runs, loss);
            foreach (string rule in new[] { "neighbours", "top1", "all" })
            {
                LunaRuleEvaluation? Get(RunResult r) => r.Evaluation.LunaRules?.FirstOrDefault(x => x.Rule == rule);
                if (rs.TrueForAll(r => Get(r) is null))
                {
                    continue;
                }
                md.Append(CultureInfo.InvariantCulture, $"| {loss} | {rule} | ");
                md.Append(Cell(rs, r => Get(r)?.Detection.Overall.Auroc)).Append(" |");
                foreach (string g in groups)
                {
                    md.Append(' ').Append(Cell(rs, r => GroupMetric(Get(r)?.Detection, g)?.Auroc)).Append(" |");
                }
                md.Append(' ').Append(Cell(rs, r => Get(r)?.AcquaintanceClosedSet.Accuracy)).Append(" |");
                md.Append(' ').Append(Cell(rs, r => Get(r)?.AcquaintanceClosedSet.Few?.Accuracy)).AppendLine(" |");
            }
        }
        md.AppendLine();
    }

    private static void Unfamiliarity(StringBuilder md, IReadOnlyList<RunResult> runs, List<string> losses, string row, bool seeded)
    {
        if (runs.All(r => r.Evaluation.Find("luna") is null))
        {
            return;
        }
        List<string> classes = UnknownClassNames(runs);
        md.AppendLine("## Unfamiliarity level");
        md.AppendLine();
        md.AppendLine("The mean LUNA factor per group should rise known < near < far < cross if the factor measures how unfamiliar an image is; about 1 means familiar, larger means further from the nearest acquaintance in that acquaintance's own spacing. ρ is Spearman's correlation of each test image's factor with its hierarchy distance (known 0, near 1, far 2, cross 3); the percentile column calibrates the factor as its rank among known validation images.");
        md.AppendLine();
        md.Append("| ").Append(row).Append(" |");
        foreach (string g in s_hierarchy)
        {
            md.Append(CultureInfo.InvariantCulture, $" {g} |");
        }
        foreach (string c in classes)
        {
            md.Append(CultureInfo.InvariantCulture, $" {c} |");
        }
        md.AppendLine(" Spearman ρ | order holds | mean percentile of unknowns |");
        md.Append("| --- |");
        for (int i = 0; i < s_hierarchy.Length + classes.Count + 3; i++)
        {
            md.Append(" --- |");
        }
        md.AppendLine();
        foreach (string loss in losses)
        {
            List<RunResult> rs = Of(runs, loss);
            UnfamiliarityMetrics? U(RunResult r) => r.Evaluation.Find("luna")?.Metrics.Unfamiliarity;
            md.Append(CultureInfo.InvariantCulture, $"| {loss} |");
            foreach (string g in s_hierarchy)
            {
                md.Append(' ').Append(Cell(rs, r => U(r)?.Groups.TryGetValue(g, out GroupScore? s) == true ? s.MeanScore : null)).Append(" |");
            }
            foreach (string c in classes)
            {
                md.Append(' ').Append(Cell(rs, r => U(r)?.UnknownClasses?.TryGetValue(c, out UnknownClassScore? s) == true ? s.MeanScore : null)).Append(" |");
            }
            md.Append(' ').Append(Cell(rs, r => U(r)?.Spearman)).Append(" |");
            int held = rs.Count(r => U(r)?.OrderHolds == true);
            int checkedRuns = rs.Count(r => U(r)?.OrderHolds is not null);
            // Without near / far / cross groups (an image folder) there is no order to check.
            string order = checkedRuns == 0 ? "–" : !seeded && checkedRuns == 1 ? (held == 1 ? "yes" : "no") : string.Create(CultureInfo.InvariantCulture, $"{held} of {checkedRuns} seeds");
            md.Append(' ').Append(order).Append(" |");
            md.Append(' ').Append(Cell(rs, r => MeanUnknownPercentile(U(r)), 1)).AppendLine(" |");
        }
        md.AppendLine();
    }

    private static void Notes(StringBuilder md, IReadOnlyList<RunResult> runs)
    {
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (RunResult r in runs)
        {
            foreach (string n in r.Evaluation.Notes)
            {
                notes.Add(n);
            }
            foreach (ScoreEvaluation s in r.Evaluation.Scores)
            {
                foreach (string w in s.Warnings)
                {
                    notes.Add($"{s.Score}: {w}");
                }
            }
        }
        if (notes.Count == 0)
        {
            return;
        }
        md.AppendLine("## Notes");
        md.AppendLine();
        foreach (string n in notes)
        {
            md.Append("- ").AppendLine(n);
        }
        md.AppendLine();
    }

    private static double? MeanUnknownPercentile(UnfamiliarityMetrics? u)
    {
        if (u is null)
        {
            return null;
        }
        double sum = 0;
        int n = 0;
        foreach ((string group, GroupScore score) in u.Groups)
        {
            if (group != UnknownGroups.Known && score.MeanPercentile is double p)
            {
                sum += p * score.Samples;
                n += score.Samples;
            }
        }
        return n == 0 ? null : sum / n;
    }

    private static DetectionMetrics? GroupMetric(DetectionReport? report, string group)
        => report?.Groups is { } g && g.TryGetValue(group, out DetectionMetrics? m) ? m : null;

    private static string Predictors(List<RunResult> rs, Func<RunResult, ScoreEvaluation?> get)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (RunResult r in rs)
        {
            if (get(r)?.Predictor is string p)
            {
                names.Add(p);
            }
        }
        return names.Count == 0 ? "–" : string.Join(" / ", names);
    }

    private static string Cell(List<RunResult> rs, Func<RunResult, double?> get, int decimals = 3)
        => SeedSummary.Of(rs.Select(get))?.Format(decimals) ?? "–";

    private static List<RunResult> Of(IReadOnlyList<RunResult> runs, string loss) => runs.Where(r => r.Loss == loss).ToList();

    private static List<string> Distinct(IReadOnlyList<RunResult> runs, Func<RunResult, string> key)
    {
        var list = new List<string>();
        foreach (RunResult r in runs)
        {
            string k = key(r);
            if (!list.Contains(k))
            {
                list.Add(k);
            }
        }
        return list;
    }

    private static string Seeds(IReadOnlyList<RunResult> runs) => "seeds " + string.Join(", ", Distinct(runs, r => r.Seed.ToString(CultureInfo.InvariantCulture)));

    private static List<string> ScoreNames(IReadOnlyList<RunResult> runs)
    {
        var names = new List<string>();
        foreach (RunResult r in runs)
        {
            foreach (ScoreEvaluation s in r.Evaluation.Scores)
            {
                if (!names.Contains(s.Score))
                {
                    names.Add(s.Score);
                }
            }
        }
        if (runs.Any(r => r.Evaluation.OltrRule is not null))
        {
            names.Add("msp-oltr");
        }
        return names;
    }

    private static List<string> UnknownGroupNames(IReadOnlyList<RunResult> runs)
    {
        var names = new List<string>();
        foreach (RunResult r in runs)
        {
            foreach (ScoreEvaluation s in r.Evaluation.Scores)
            {
                if (s.Metrics.Detection.Groups is { } groups)
                {
                    foreach (string g in groups.Keys)
                    {
                        if (!names.Contains(g))
                        {
                            names.Add(g);
                        }
                    }
                }
            }
        }
        return names;
    }

    private static List<string> UnknownClassNames(IReadOnlyList<RunResult> runs)
    {
        var names = new List<string>();
        foreach (RunResult r in runs)
        {
            if (r.Evaluation.Find("luna")?.Metrics.Unfamiliarity.UnknownClasses is { } classes)
            {
                foreach (string c in classes.Keys)
                {
                    if (!names.Contains(c))
                    {
                        names.Add(c);
                    }
                }
            }
        }
        return names;
    }
}
