using Luna.Core.LongTail;
using Luna.Core.Metrics;

namespace Luna.Core.Tests.Metrics;

public class ClassificationEvaluatorTests
{
    [Fact]
    public void The_open_set_f_measure_matches_a_hand_worked_example()
    {
        // sample:      0  1  2   3  4   5  6  7   8  9
        // label:       0  0  1   1  2  -1 -1 -1  -1 -1
        // prediction:  0  1  1  -1  2  -1  0  2  -1  1
        // Knowns: 0 (0->0) TP, 1 (0->1) FP, 2 (1->1) TP, 3 (1->-1, rejected) FP, 4 (2->2) TP  => TP 3, FP 2.
        // Unknowns: 5 and 8 rejected (counted in nothing), 6 (->0), 7 (->2), 9 (->1) accepted => FN 3.
        // P = 3 / (3 + 2) = 0.6; R = 3 / (3 + 3) = 0.5; F = 2·0.6·0.5 / (0.6 + 0.5) = 0.6 / 1.1 = 6/11.
        int[] labels = { 0, 0, 1, 1, 2, -1, -1, -1, -1, -1 };
        int[] predictions = { 0, 1, 1, -1, 2, -1, 0, 2, -1, 1 };

        OpenSetFMeasure f = ClassificationEvaluator.FMeasure(labels, predictions);

        Assert.Equal(3, f.TruePositives);
        Assert.Equal(2, f.FalsePositives);
        Assert.Equal(3, f.FalseNegatives);
        Assert.Equal(2, f.CorrectlyRejected);
        Assert.Equal(0.6, f.Precision, 15);
        Assert.Equal(0.5, f.Recall!.Value, 15);
        Assert.Equal(6.0 / 11.0, f.FMeasure, 15);
        // The open-set accuracy of the same predictions: 3 of the 5 knowns, the rejected known being an error.
        Assert.Equal(0.6, ClassificationEvaluator.Accuracy(labels, predictions).Accuracy, 15);
    }

    [Fact]
    public void The_f_measure_is_zero_when_no_known_sample_is_right()
    {
        // All knowns rejected: TP 0, FP 2; one unknown accepted: FN 1. P = 0, R = 0, F defined as 0.
        OpenSetFMeasure f = ClassificationEvaluator.FMeasure(new[] { 0, 1, -1 }, new[] { -1, -1, 0 });
        Assert.Equal(0.0, f.FMeasure);
        Assert.Equal(0.0, f.Precision);
        Assert.Equal(0.0, f.Recall);
    }

    [Fact]
    public void Shot_group_accuracies_are_means_of_per_class_accuracies_from_the_training_counts()
    {
        // Training counts 500, 150 (many: > 100), 60, 30 (medium: 20..100), 8, 3 (few: < 20).
        // Test: class 0 has 4 samples, 3 right (0.75); class 1 has 2, both right (1.0)  -> many = (0.75 + 1) / 2 = 0.875
        //       class 2 has 2, 1 right (0.5); class 3 has none (left out)                 -> medium = 0.5 over 1 class
        //       class 4 has 3, none right (0); class 5 has 1, rejected (-1, an error: 0)   -> few = 0
        // Overall: 6 right of 12 = 0.5; mean per class over classes 0, 1, 2, 4, 5 = (0.75 + 1 + 0.5 + 0 + 0) / 5 = 0.45.
        int[] counts = { 500, 150, 60, 30, 8, 3 };
        int[] labels = { 0, 0, 0, 0, 1, 1, 2, 2, 4, 4, 4, 5, -1 };
        int[] predictions = { 0, 0, 0, 1, 1, 1, 2, 0, 0, 1, 2, -1, 3 };

        AccuracyMetrics a = ClassificationEvaluator.Accuracy(labels, predictions, counts);

        Assert.Equal(12, a.Samples);
        Assert.Equal(6, a.Correct);
        Assert.Equal(0.5, a.Accuracy, 15);
        Assert.Equal(0.45, a.MeanPerClassAccuracy, 15);
        Assert.Equal(new GroupAccuracy(2, 6, 0.875), a.Many);
        Assert.Equal(new GroupAccuracy(1, 2, 0.5), a.Medium);
        Assert.Equal(new GroupAccuracy(2, 4, 0.0), a.Few);
        Assert.Equal(new[] { 0, 1, 2, 4, 5 }, a.PerClass.Select(c => c.Class));
        Assert.Equal(ShotGroup.Medium, a.PerClass[2].ShotGroup);
        Assert.Equal(60, a.PerClass[2].TrainingCount);
    }

    [Fact]
    public void A_shot_group_without_classes_is_absent_not_zero()
    {
        AccuracyMetrics a = ClassificationEvaluator.Accuracy(new[] { 0, 1 }, new[] { 0, 0 }, new[] { 1000, 500 });
        Assert.NotNull(a.Many);
        Assert.Null(a.Medium);
        Assert.Null(a.Few);
    }

    [Fact]
    public void Without_training_counts_there_are_no_shot_groups()
    {
        AccuracyMetrics a = ClassificationEvaluator.Accuracy(new[] { 0, 1, -1 }, new[] { 0, 0, 1 });
        Assert.Null(a.Many);
        Assert.Null(a.PerClass[0].ShotGroup);
        Assert.Equal(0.5, a.Accuracy);
    }

    [Fact]
    public void A_label_without_a_training_count_is_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => ClassificationEvaluator.Accuracy(new[] { 0, 2 }, new[] { 0, 0 }, new[] { 10, 10 }));
        Assert.Contains("class 2 has no training count", ex.Message);
    }

    [Fact]
    public void Mismatched_lengths_name_both_counts()
    {
        var ex = Assert.Throws<LunaInputException>(() => ClassificationEvaluator.FMeasure(new[] { 0, 1 }, new[] { 0 }));
        Assert.Contains("1 predictions for 2 labels", ex.Message);
    }

    [Fact]
    public void Only_unknown_samples_is_an_error_for_accuracy()
    {
        Assert.Throws<LunaInputException>(() => ClassificationEvaluator.Accuracy(new[] { -1 }, new[] { 0 }));
    }

    [Fact]
    public void Rejections_are_counted_separately_for_known_and_unknown_samples()
    {
        RejectionCounts r = ClassificationEvaluator.Rejections(new[] { 0, 1, -1, -1, -1 }, new[] { -1, 1, -1, -1, 0 });
        Assert.Equal(new RejectionCounts(2, 1, 3, 2), r);
        Assert.Equal(0.5, r.KnownRejectedRate);
        Assert.Equal(2.0 / 3.0, r.UnknownRejectedRate!.Value, 15);
    }
}
