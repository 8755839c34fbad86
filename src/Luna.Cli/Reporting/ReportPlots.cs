using System.Globalization;
using Luna.Core.IO;
using Luna.Core.Metrics;
using ScottPlot;

namespace Luna.Cli.Reporting;

/// <summary>The PNG plots of a benchmark report, drawn with ScottPlot and written atomically.</summary>
internal static class ReportPlots
{
    private const int Width = 900;
    private const int Height = 560;

    private static readonly Color[] s_palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"),
    ];

    /// <summary>
    /// Density histograms of the LUNA factor, one step line per group (known, near, far, cross), on a shared range
    /// that ends at the 99th percentile of all factors so that a long tail does not squash the rest.
    /// </summary>
    public static void FactorHistograms(string path, double[] factors, IReadOnlyList<string> groups, string title)
    {
        double[] sorted = (double[])factors.Clone();
        Array.Sort(sorted);
        double lo = sorted[0];
        double hi = sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(0.99 * (sorted.Length - 1)))];
        if (!(hi > lo))
        {
            hi = lo + 1;
        }
        const int Bins = 60;
        double width = (hi - lo) / Bins;
        var plot = new Plot();
        int colour = 0;
        foreach (string group in DistinctInOrder(groups))
        {
            var counts = new double[Bins + 1];
            int n = 0;
            for (int i = 0; i < factors.Length; i++)
            {
                if (groups[i] != group)
                {
                    continue;
                }
                int bin = (int)Math.Clamp(Math.Floor((factors[i] - lo) / width), 0, Bins - 1);
                counts[bin]++;
                n++;
            }
            var xs = new double[Bins + 1];
            for (int b = 0; b <= Bins; b++)
            {
                xs[b] = lo + (b * width);
                counts[b] = b < Bins ? counts[b] / (n * width) : counts[Bins - 1] / (n * width);
            }
            var line = plot.Add.ScatterLine(xs, counts, s_palette[colour++ % s_palette.Length]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LegendText = $"{group} (n = {n})";
        }
        plot.Title(title);
        plot.XLabel("LUNA factor (1 = the acquaintance's own density; last bin: above the 99th percentile)");
        plot.YLabel("density");
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>ROC curves (unknown = positive) of several scores on the same test samples.</summary>
    public static void RocCurves(string path, IReadOnlyList<(string Name, double[] Scores)> scores, int[] labels, string title)
    {
        var plot = new Plot();
        var isUnknown = new bool[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            isUnknown[i] = labels[i] < 0;
        }
        int colour = 0;
        foreach ((string name, double[] s) in scores)
        {
            (double[] fpr, double[] tpr) = RocCurve(s, isUnknown);
            double auroc = DetectionEvaluator.Auroc(s, isUnknown);
            var line = plot.Add.ScatterLine(fpr, tpr, s_palette[colour++ % s_palette.Length]);
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{name} (AUROC {auroc:F3})");
        }
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.Color = Colors.Gray;
        chance.LinePattern = LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel("false positive rate (knowns called unknown)");
        plot.YLabel("true positive rate (unknowns detected)");
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path);
    }

    /// <summary>Per-class test accuracy against the class's training count (log scale), for one or more predictors.</summary>
    public static void AccuracyByTrainingCount(string path, IReadOnlyList<int> trainCounts, IReadOnlyList<string> classNames, IReadOnlyList<(string Name, AccuracyMetrics Accuracy)> predictors, string title)
    {
        var plot = new Plot();
        int colour = 0;
        foreach ((string name, AccuracyMetrics accuracy) in predictors)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (ClassAccuracy c in accuracy.PerClass)
            {
                if (c.Class < trainCounts.Count && trainCounts[c.Class] > 0)
                {
                    xs.Add(Math.Log10(trainCounts[c.Class]));
                    ys.Add(c.Accuracy);
                }
            }
            var markers = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), s_palette[colour++ % s_palette.Length]);
            markers.MarkerSize = 10;
            markers.LegendText = name;
        }
        for (int c = 0; c < trainCounts.Count && c < classNames.Count; c++)
        {
            if (trainCounts[c] > 0)
            {
                // Below the zero line, so that a class at accuracy 0 stays visible.
                var label = plot.Add.Text(classNames[c], Math.Log10(trainCounts[c]), LabelBand);
                label.LabelFontSize = 11;
                label.LabelRotation = -60;
            }
        }
        int maxPower = (int)Math.Ceiling(Math.Log10(Math.Max(10, trainCounts.Max())));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int p = 0; p <= maxPower; p++)
        {
            ticks.AddMajor(p, Math.Pow(10, p).ToString(CultureInfo.InvariantCulture));
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        var accuracyTicks = new ScottPlot.TickGenerators.NumericManual();
        for (int t = 0; t <= 10; t++)
        {
            accuracyTicks.AddMajor(t / 10.0, (t / 10.0).ToString("0.0", CultureInfo.InvariantCulture));
        }
        plot.Axes.Left.TickGenerator = accuracyTicks;
        plot.Axes.SetLimits(0, maxPower, LabelBand - 0.02, 1.05);
        plot.Title(title);
        plot.XLabel("training images of the class (log scale)");
        plot.YLabel("closed-set test accuracy of the class");
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path);
    }

    /// <summary>Where the class names of the accuracy plot start: a band below accuracy 0.</summary>
    private const double LabelBand = -0.2;

    /// <summary>
    /// The ROC curve with unknown as positive: one point per distinct score threshold, from (0, 0) to (1, 1),
    /// as scikit-learn's <c>roc_curve(drop_intermediate=False)</c> with (0, 0) prepended.
    /// </summary>
    internal static (double[] Fpr, double[] Tpr) RocCurve(double[] scores, bool[] isUnknown)
    {
        int[] order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));
        int positives = 0;
        foreach (bool u in isUnknown)
        {
            positives += u ? 1 : 0;
        }
        int negatives = scores.Length - positives;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (isUnknown[order[i]])
            {
                tp++;
            }
            else
            {
                fp++;
            }
            if (i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]])
            {
                fpr.Add(negatives == 0 ? 0 : (double)fp / negatives);
                tpr.Add(positives == 0 ? 0 : (double)tp / positives);
            }
        }
        return (fpr.ToArray(), tpr.ToArray());
    }

    private static List<string> DistinctInOrder(IReadOnlyList<string> values)
    {
        var order = new List<string>();
        foreach (string known in new[] { UnknownGroups.Known, UnknownGroups.Near, UnknownGroups.Far, UnknownGroups.Cross })
        {
            if (values.Contains(known))
            {
                order.Add(known);
            }
        }
        foreach (string v in values)
        {
            if (!order.Contains(v))
            {
                order.Add(v);
            }
        }
        return order;
    }

    private static void Save(Plot plot, string path)
    {
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
