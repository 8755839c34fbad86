using Luna.Core.LongTail;

namespace Luna.Core.Metrics;

/// <summary>Accuracy of one known class on the known test samples.</summary>
/// <param name="Class">The class, 0..K-1.</param>
/// <param name="Samples">Known test samples whose true label is <paramref name="Class"/>, ≥ 1.</param>
/// <param name="Correct">Of those, how many were predicted <paramref name="Class"/>.</param>
/// <param name="Accuracy">Correct / Samples.</param>
/// <param name="TrainingCount">Training images of the class, or null when the training counts were not given.</param>
/// <param name="ShotGroup">The class's shot group from its training count, or null when the counts were not given.</param>
public sealed record ClassAccuracy(int Class, int Samples, int Correct, double Accuracy, int? TrainingCount, ShotGroup? ShotGroup);

/// <summary>The accuracy of one shot group (OLTR's many / medium / few).</summary>
/// <param name="Classes">Classes of the group that have at least one known test sample.</param>
/// <param name="Samples">Known test samples of those classes.</param>
/// <param name="Accuracy">The mean of the per-class accuracies of those classes (not weighted by samples; OLTR's convention).</param>
public sealed record GroupAccuracy(int Classes, int Samples, double Accuracy);

/// <summary>
/// Top-1 accuracy on the <b>known</b> test samples (label ≥ 0); unknown samples are ignored. Used for closed-set
/// accuracy (predictions without rejection) and OLTR's open-set accuracy (predictions after rejection, where a
/// rejected known sample, predicted -1, counts as an error). Produced by <see cref="ClassificationEvaluator.Accuracy"/>.
/// </summary>
/// <param name="Samples">Known test samples, ≥ 1.</param>
/// <param name="Correct">Known test samples predicted their own class.</param>
/// <param name="Accuracy">Correct / Samples (every sample weighs the same).</param>
/// <param name="MeanPerClassAccuracy">
/// The mean of the per-class accuracies over the classes with at least one known test sample (balanced accuracy);
/// equals <paramref name="Accuracy"/> on a balanced test set.
/// </param>
/// <param name="Many">Classes with more than 100 training images; null when no such class has test samples or the training counts were not given.</param>
/// <param name="Medium">Classes with 20..100 training images; null as for <paramref name="Many"/>.</param>
/// <param name="Few">Classes with fewer than 20 training images; null as for <paramref name="Many"/>.</param>
/// <param name="PerClass">Per-class accuracies, in class order, for classes with at least one known test sample.</param>
public sealed record AccuracyMetrics(
    int Samples,
    int Correct,
    double Accuracy,
    double MeanPerClassAccuracy,
    GroupAccuracy? Many,
    GroupAccuracy? Medium,
    GroupAccuracy? Few,
    IReadOnlyList<ClassAccuracy> PerClass);

/// <summary>
/// OLTR's open-set F-measure (after its 2020 fix), over all test samples with open-set predictions in
/// {-1, 0..K-1} (docs/metrics.md). Correctly rejected unknowns count in none of TP, FP, FN.
/// </summary>
/// <param name="TruePositives">TP: known samples predicted their own class.</param>
/// <param name="FalsePositives">FP: known samples predicted anything else (a wrong class or -1).</param>
/// <param name="FalseNegatives">FN: unknown samples predicted a known class (any value other than -1).</param>
/// <param name="CorrectlyRejected">Unknown samples predicted -1 (in none of the counts above; for information).</param>
/// <param name="Precision">P = TP / (TP + FP); TP + FP is the number of known samples, at least 1.</param>
/// <param name="Recall">R = TP / (TP + FN); null when TP + FN = 0.</param>
/// <param name="FMeasure">F = 2·P·R / (P + R); 0 when TP = 0 (then P = 0 and R is 0 or undefined).</param>
public sealed record OpenSetFMeasure(int TruePositives, int FalsePositives, int FalseNegatives, int CorrectlyRejected, double Precision, double? Recall, double FMeasure);

/// <summary>How many known and unknown test samples a rejection rule rejected (predicted -1).</summary>
/// <param name="Known">Known test samples.</param>
/// <param name="KnownRejected">Known test samples rejected (wrongly).</param>
/// <param name="Unknown">Unknown test samples.</param>
/// <param name="UnknownRejected">Unknown test samples rejected (rightly).</param>
public sealed record RejectionCounts(int Known, int KnownRejected, int Unknown, int UnknownRejected)
{
    /// <summary>KnownRejected / Known, or null when there is no known sample.</summary>
    public double? KnownRejectedRate => Known > 0 ? (double)KnownRejected / Known : null;

    /// <summary>UnknownRejected / Unknown, or null when there is no unknown sample.</summary>
    public double? UnknownRejectedRate => Unknown > 0 ? (double)UnknownRejected / Unknown : null;
}

/// <summary>Closed-set and open-set classification metrics (docs/metrics.md).</summary>
public static class ClassificationEvaluator
{
    /// <summary>
    /// Top-1 accuracy on the known samples (label ≥ 0), overall, per class, and per shot group when
    /// <paramref name="trainingCounts"/> is given. A prediction of -1 (rejected) is always an error.
    /// </summary>
    /// <param name="labels">True label per test sample, length n: -1 unknown (ignored), else 0..K-1.</param>
    /// <param name="predictions">Predicted class per test sample, length n, each ≥ -1.</param>
    /// <param name="trainingCounts">Training images per class (length K), or null; when given, every known label must be below K.</param>
    /// <exception cref="LunaInputException">Lengths differ, a label or prediction is below -1, a label is ≥ K, or there is no known sample.</exception>
    public static AccuracyMetrics Accuracy(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions, IReadOnlyList<int>? trainingCounts = null)
    {
        CheckPair(labels, predictions);
        int classes = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            classes = Math.Max(classes, labels[i] + 1);
        }
        ShotGroup[]? groups = null;
        if (trainingCounts is not null)
        {
            groups = ShotGroups.FromCounts(trainingCounts);
            if (classes > trainingCounts.Count)
            {
                throw new LunaInputException($"labels: class {classes - 1} has no training count (the training counts cover classes 0..{trainingCounts.Count - 1})");
            }
            classes = trainingCounts.Count;
        }
        var samples = new int[classes];
        var correct = new int[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            if (y < 0)
            {
                continue;
            }
            samples[y]++;
            if (predictions[i] == y)
            {
                correct[y]++;
            }
        }
        int totalSamples = 0;
        int totalCorrect = 0;
        double classSum = 0.0;
        int classCount = 0;
        var perClass = new List<ClassAccuracy>();
        var groupSum = new double[3];
        var groupClasses = new int[3];
        var groupSamples = new int[3];
        for (int c = 0; c < classes; c++)
        {
            if (samples[c] == 0)
            {
                continue;
            }
            double accuracy = (double)correct[c] / samples[c];
            totalSamples += samples[c];
            totalCorrect += correct[c];
            classSum += accuracy;
            classCount++;
            ShotGroup? group = groups?[c];
            if (group is { } g)
            {
                groupSum[(int)g] += accuracy;
                groupClasses[(int)g]++;
                groupSamples[(int)g] += samples[c];
            }
            perClass.Add(new ClassAccuracy(c, samples[c], correct[c], accuracy, trainingCounts?[c], group));
        }
        if (totalSamples == 0)
        {
            throw new LunaInputException($"labels: none of the {labels.Length} samples is known (label ≥ 0); accuracy needs known samples");
        }
        GroupAccuracy? Group(ShotGroup g) => groupClasses[(int)g] == 0
            ? null
            : new GroupAccuracy(groupClasses[(int)g], groupSamples[(int)g], groupSum[(int)g] / groupClasses[(int)g]);
        return new AccuracyMetrics(
            totalSamples,
            totalCorrect,
            (double)totalCorrect / totalSamples,
            classSum / classCount,
            Group(ShotGroup.Many),
            Group(ShotGroup.Medium),
            Group(ShotGroup.Few),
            perClass);
    }

    /// <summary>
    /// OLTR's open-set F-measure of open-set predictions (-1 = rejected as unknown) against labels (-1 = unknown):
    /// TP = known predicted its own class, FP = known predicted anything else (including -1), FN = unknown predicted a
    /// known class, F = 2PR / (P + R).
    /// </summary>
    /// <param name="labels">True label per test sample, length n: -1 unknown, else a class.</param>
    /// <param name="openSetPredictions">Predicted class or -1 per test sample, length n.</param>
    /// <exception cref="LunaInputException">Lengths differ, a value is below -1, or there is no known sample.</exception>
    public static OpenSetFMeasure FMeasure(ReadOnlySpan<int> labels, ReadOnlySpan<int> openSetPredictions)
    {
        CheckPair(labels, openSetPredictions);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int rejected = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            int p = openSetPredictions[i];
            if (y >= 0)
            {
                if (p == y)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }
            else if (p >= 0)
            {
                fn++;
            }
            else
            {
                rejected++;
            }
        }
        if (tp + fp == 0)
        {
            throw new LunaInputException($"labels: none of the {labels.Length} samples is known (label ≥ 0); the open-set F-measure needs known samples");
        }
        double precision = (double)tp / (tp + fp);
        double? recall = tp + fn > 0 ? (double)tp / (tp + fn) : null;
        double f = tp == 0 ? 0.0 : 2.0 * precision * recall!.Value / (precision + recall.Value);
        return new OpenSetFMeasure(tp, fp, fn, rejected, precision, recall, f);
    }

    /// <summary>Counts the known and unknown samples predicted -1.</summary>
    /// <param name="labels">True label per test sample: -1 unknown.</param>
    /// <param name="openSetPredictions">Predicted class or -1 per test sample.</param>
    public static RejectionCounts Rejections(ReadOnlySpan<int> labels, ReadOnlySpan<int> openSetPredictions)
    {
        CheckPair(labels, openSetPredictions);
        int known = 0;
        int knownRejected = 0;
        int unknown = 0;
        int unknownRejected = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            bool rejected = openSetPredictions[i] == -1;
            if (labels[i] >= 0)
            {
                known++;
                knownRejected += rejected ? 1 : 0;
            }
            else
            {
                unknown++;
                unknownRejected += rejected ? 1 : 0;
            }
        }
        return new RejectionCounts(known, knownRejected, unknown, unknownRejected);
    }

    private static void CheckPair(ReadOnlySpan<int> labels, ReadOnlySpan<int> predictions)
    {
        if (predictions.Length != labels.Length)
        {
            throw new LunaInputException($"predictions: {predictions.Length} predictions for {labels.Length} labels");
        }
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < -1)
            {
                throw new LunaInputException($"labels: value {labels[i]} at index {i} is not a class (≥ 0) or -1 (unknown)");
            }
            if (predictions[i] < -1)
            {
                throw new LunaInputException($"predictions: value {predictions[i]} at index {i} is not a class (≥ 0) or -1 (rejected)");
            }
        }
    }
}
