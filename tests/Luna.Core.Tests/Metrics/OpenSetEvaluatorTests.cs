using System.Text.Json;
using Luna.Core.Data;
using Luna.Core.Metrics;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Metrics;

public class OpenSetEvaluatorTests
{
    private const double Tolerance = 1e-12;

    private static JsonElement Olt => MetricsFixture.Expected.GetProperty("olt");

    private static OpenSetEvaluationInput OltInput(bool perClass = false)
    {
        NoveltyScores scores = ScoreFile.Read(MetricsFixture.Path("olt_scores.csv"));
        NoveltyScores validation = ScoreFile.Read(MetricsFixture.Path("olt_validation_scores.csv"));
        GroupAssignments groups = GroupFile.Read(MetricsFixture.Path("olt_groups.csv"));
        return new OpenSetEvaluationInput(scores.Scores, Npy.ReadLabels(MetricsFixture.Path("olt_labels.npy")))
        {
            Predictions = Npy.ReadLabels(MetricsFixture.Path("olt_predictions.npy")),
            TrainingCounts = TrainCountsFile.Read(MetricsFixture.Path("olt_train_counts.csv")),
            Groups = groups.Groups,
            UnknownClasses = groups.Classes,
            Thresholds = perClass
                ? Thresholds.FromValidationPerClass(validation.Scores, validation.Acquaintance!)
                : Thresholds.FromValidation(validation.Scores),
            ThresholdClasses = perClass ? scores.Acquaintance : null,
            Calibration = new UnfamiliarityCalibration(validation.Scores),
        };
    }

    private static void AssertDetection(JsonElement expected, DetectionMetrics actual)
    {
        Assert.True(Math.Abs(MetricsFixture.Number(expected, "auroc") - actual.Auroc) <= Tolerance);
        Assert.True(Math.Abs(MetricsFixture.Number(expected, "auprIn") - actual.AuprIn) <= Tolerance);
        Assert.True(Math.Abs(MetricsFixture.Number(expected, "auprOut") - actual.AuprOut) <= Tolerance);
        Assert.Equal(MetricsFixture.Number(expected, "fprAt95Tpr"), actual.FprAt95Tpr, 15);
        Assert.Equal(expected.GetProperty("unknown").GetInt32(), actual.Unknown);
    }

    [Fact]
    public void Detection_overall_and_per_group_equal_scikit_learn()
    {
        MetricsReport r = OpenSetEvaluator.Evaluate(OltInput());

        AssertDetection(Olt.GetProperty("overall"), r.Detection.Overall);
        Assert.Equal(new[] { "near", "far", "cross" }, r.Detection.Groups!.Keys);
        foreach ((string group, DetectionMetrics d) in r.Detection.Groups)
        {
            AssertDetection(Olt.GetProperty("groups").GetProperty(group), d);
        }
    }

    [Fact]
    public void Closed_and_open_set_accuracies_equal_the_numpy_reference()
    {
        MetricsReport r = OpenSetEvaluator.Evaluate(OltInput());

        AssertAccuracy(Olt.GetProperty("closedSet"), r.ClosedSet!);
        Assert.Equal(MetricsFixture.Number(Olt, "threshold"), r.Thresholds!.Global);
        JsonElement open = Olt.GetProperty("openSet");
        AssertAccuracy(open, r.OpenSet!.Accuracy!);
        Assert.Equal("threshold", r.OpenSet.RejectionSource);
        Assert.Equal(open.GetProperty("knownRejected").GetInt32(), r.OpenSet.Rejection.KnownRejected);
        Assert.Equal(open.GetProperty("unknownRejected").GetInt32(), r.OpenSet.Rejection.UnknownRejected);
        AssertF(open.GetProperty("fMeasure"), r.OpenSet.FMeasure!);
    }

    [Fact]
    public void Per_class_thresholds_equal_the_numpy_reference()
    {
        MetricsReport r = OpenSetEvaluator.Evaluate(OltInput(perClass: true));

        foreach (JsonProperty p in Olt.GetProperty("perClassThresholds").EnumerateObject())
        {
            Assert.Equal(p.Value.GetDouble(), r.Thresholds!.PerClass![int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)]);
        }
        AssertF(Olt.GetProperty("perClassOpenSet"), r.OpenSet!.FMeasure!);
    }

    [Fact]
    public void The_unfamiliarity_check_equals_the_scipy_reference()
    {
        UnfamiliarityMetrics u = OpenSetEvaluator.Evaluate(OltInput()).Unfamiliarity;

        Assert.Equal(MetricsFixture.Number(Olt, "spearman"), u.Spearman!.Value, 12);
        foreach (JsonProperty p in Olt.GetProperty("groupMeans").EnumerateObject())
        {
            Assert.Equal(p.Value.GetDouble(), u.Groups[p.Name].MeanScore, 12);
        }
        foreach (JsonProperty p in Olt.GetProperty("groupMeanPercentiles").EnumerateObject())
        {
            Assert.Equal(p.Value.GetDouble(), u.Groups[p.Name].MeanPercentile!.Value, 10);
        }
        foreach (JsonProperty p in Olt.GetProperty("classMeans").EnumerateObject())
        {
            Assert.Equal(p.Value.GetDouble(), u.UnknownClasses![p.Name].MeanScore, 12);
        }
        Assert.Equal(Olt.GetProperty("orderHolds").GetBoolean(), u.OrderHolds);
        Assert.Equal("known < near < far < cross", u.ExpectedOrder);
    }

    [Fact]
    public void Predictions_with_rejections_give_open_set_metrics_and_no_closed_set_accuracy()
    {
        var input = new OpenSetEvaluationInput(new[] { 0.1, 0.2, 0.9, 0.8 }, new[] { 0, 1, -1, -1 }) { Predictions = new[] { 0, -1, -1, 1 } };

        MetricsReport r = OpenSetEvaluator.Evaluate(input);

        Assert.Null(r.ClosedSet);
        Assert.Equal("predictions", r.OpenSet!.RejectionSource);
        Assert.Equal(0.5, r.OpenSet.Accuracy!.Accuracy);
        Assert.Contains(r.Notes, n => n.Contains("closed-set accuracy omitted", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_threshold_and_rejections_there_are_no_open_set_metrics()
    {
        var input = new OpenSetEvaluationInput(new[] { 0.1, 0.2, 0.9 }, new[] { 0, 1, -1 }) { Predictions = new[] { 0, 0, 1 } };

        MetricsReport r = OpenSetEvaluator.Evaluate(input);

        Assert.Null(r.OpenSet);
        Assert.Equal(0.5, r.ClosedSet!.Accuracy);
    }

    [Fact]
    public void The_json_is_camel_case_omits_absent_metrics_and_never_writes_nan()
    {
        var input = new OpenSetEvaluationInput(new[] { 0.1, 0.2, 0.9 }, new[] { 0, 1, -1 }) { Predictions = new[] { 0, 0, 1 } };

        string json = OpenSetEvaluator.Evaluate(input).ToJson();

        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("detection").GetProperty("overall").TryGetProperty("fprAt95Tpr", out _));
        Assert.True(root.GetProperty("closedSet").TryGetProperty("meanPerClassAccuracy", out _));
        Assert.False(root.GetProperty("closedSet").TryGetProperty("many", out _));
        Assert.False(root.TryGetProperty("openSet", out _));
        Assert.False(root.TryGetProperty("thresholds", out _));
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Shot_groups_are_written_as_lower_case_names()
    {
        var input = new OpenSetEvaluationInput(new[] { 0.1, 0.9 }, new[] { 0, -1 }) { Predictions = new[] { 0, 0 }, TrainingCounts = new[] { 5 } };
        using JsonDocument doc = JsonDocument.Parse(OpenSetEvaluator.Evaluate(input).ToJson());
        Assert.Equal("few", doc.RootElement.GetProperty("closedSet").GetProperty("perClass")[0].GetProperty("shotGroup").GetString());
    }

    [Fact]
    public void Per_class_thresholds_without_query_classes_are_an_error()
    {
        var input = new OpenSetEvaluationInput(new[] { 0.1, 0.9 }, new[] { 0, -1 })
        {
            Thresholds = Thresholds.FromValidationPerClass(new[] { 0.1, 0.2 }, new[] { 0, 0 }),
        };
        Assert.Throws<LunaInputException>(() => OpenSetEvaluator.Evaluate(input));
    }

    private static void AssertAccuracy(JsonElement expected, AccuracyMetrics actual)
    {
        Assert.Equal(MetricsFixture.Number(expected, "accuracy"), actual.Accuracy, 12);
        Assert.Equal(MetricsFixture.Number(expected, "meanPerClassAccuracy"), actual.MeanPerClassAccuracy, 12);
        Assert.Equal(MetricsFixture.Number(expected, "many"), actual.Many!.Accuracy, 12);
        Assert.Equal(MetricsFixture.Number(expected, "medium"), actual.Medium!.Accuracy, 12);
        Assert.Equal(MetricsFixture.Number(expected, "few"), actual.Few!.Accuracy, 12);
        Assert.Equal(4, actual.Many.Classes);
        Assert.Equal(2, actual.Medium.Classes);
        Assert.Equal(1, actual.Few.Classes);
    }

    private static void AssertF(JsonElement expected, OpenSetFMeasure actual)
    {
        Assert.Equal(expected.GetProperty("truePositives").GetInt32(), actual.TruePositives);
        Assert.Equal(expected.GetProperty("falsePositives").GetInt32(), actual.FalsePositives);
        Assert.Equal(expected.GetProperty("falseNegatives").GetInt32(), actual.FalseNegatives);
        Assert.Equal(MetricsFixture.Number(expected, "fMeasure"), actual.FMeasure, 12);
    }
}
