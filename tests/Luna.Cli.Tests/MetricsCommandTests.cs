using System.Text.Json;
using Luna.Core.Data;

namespace Luna.Cli.Tests;

public sealed class MetricsCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"luna-metrics-{Guid.NewGuid():N}");

    public MetricsCommandTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
    }

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics", file);

    private static JsonElement Expected()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        return doc.RootElement.GetProperty("olt").Clone();
    }

    private string Out => Path.Combine(_dir, "m.json");

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Four queries: two known (classes 0, 1), two unknown; scores CSV and labels .npy.</summary>
    private (string Scores, string Labels) Small(string? scoreOverride = null, int[]? labels = null)
    {
        string scores = Write("s.csv", "index,score,acquaintance\n0,0.1,0\n1,0.2,1\n2," + (scoreOverride ?? "0.9") + ",0\n3,0.8,1\n");
        string labelPath = Path.Combine(_dir, "y.npy");
        Npy.WriteLabels(labelPath, labels ?? new[] { 0, 1, -1, -1 });
        return (scores, labelPath);
    }

    private static JsonElement Read(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void The_full_input_writes_every_metric_equal_to_the_reference()
    {
        CliResult r = CliRunner.Run(
            "metrics",
            "--scores", Fixture("olt_scores.csv"),
            "--labels", Fixture("olt_labels.npy"),
            "--predictions", Fixture("olt_predictions.npy"),
            "--train-counts", Fixture("olt_train_counts.csv"),
            "--groups", Fixture("olt_groups.csv"),
            "--validation-scores", Fixture("olt_validation_scores.csv"),
            "--out", Out);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        JsonElement e = Expected();
        JsonElement m = Read(Out);
        Assert.Equal(e.GetProperty("overall").GetProperty("auroc").GetDouble(), m.GetProperty("detection").GetProperty("overall").GetProperty("auroc").GetDouble(), 12);
        Assert.Equal(e.GetProperty("groups").GetProperty("near").GetProperty("auprOut").GetDouble(), m.GetProperty("detection").GetProperty("groups").GetProperty("near").GetProperty("auprOut").GetDouble(), 12);
        Assert.Equal(e.GetProperty("groups").GetProperty("cross").GetProperty("fprAt95Tpr").GetDouble(), m.GetProperty("detection").GetProperty("groups").GetProperty("cross").GetProperty("fprAt95Tpr").GetDouble(), 12);
        Assert.Equal(e.GetProperty("closedSet").GetProperty("few").GetDouble(), m.GetProperty("closedSet").GetProperty("few").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(e.GetProperty("threshold").GetDouble(), m.GetProperty("thresholds").GetProperty("global").GetDouble());
        Assert.Equal(e.GetProperty("openSet").GetProperty("many").GetDouble(), m.GetProperty("openSet").GetProperty("accuracy").GetProperty("many").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(e.GetProperty("openSet").GetProperty("fMeasure").GetProperty("fMeasure").GetDouble(), m.GetProperty("openSet").GetProperty("fMeasure").GetProperty("fMeasure").GetDouble(), 12);
        Assert.Equal(e.GetProperty("spearman").GetDouble(), m.GetProperty("unfamiliarity").GetProperty("spearman").GetDouble(), 12);
        Assert.Equal(e.GetProperty("classMeans").GetProperty("Shirt").GetDouble(), m.GetProperty("unfamiliarity").GetProperty("unknownClasses").GetProperty("Shirt").GetProperty("meanScore").GetDouble(), 12);
        Assert.True(m.GetProperty("unfamiliarity").GetProperty("orderHolds").GetBoolean());
        Assert.Equal(Fixture("olt_scores.csv"), m.GetProperty("inputs").GetProperty("scores").GetString());
        Assert.Contains("detection (unknown = positive): AUROC", r.Output);
        Assert.Contains("open-set F-measure", r.Output);
        Assert.Contains($"wrote {Out}", r.Output);
    }

    [Fact]
    public void Per_class_thresholds_use_the_acquaintance_columns()
    {
        CliResult r = CliRunner.Run(
            "metrics",
            "--scores", Fixture("olt_scores.csv"),
            "--labels", Fixture("olt_labels.npy"),
            "--predictions", Fixture("olt_predictions.npy"),
            "--validation-scores", Fixture("olt_validation_scores.csv"),
            "--per-class-thresholds",
            "--out", Out);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        JsonElement e = Expected();
        JsonElement m = Read(Out);
        Assert.Equal(e.GetProperty("perClassThresholds").GetProperty("4").GetDouble(), m.GetProperty("thresholds").GetProperty("perClass").GetProperty("4").GetDouble());
        Assert.Equal(e.GetProperty("perClassOpenSet").GetProperty("fMeasure").GetDouble(), m.GetProperty("openSet").GetProperty("fMeasure").GetProperty("fMeasure").GetDouble(), 12);
    }

    [Fact]
    public void Scores_and_labels_alone_give_detection_and_unfamiliarity_only()
    {
        (string scores, string labels) = Small();

        CliResult r = CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        JsonElement m = Read(Out);
        // Unknown scores {0.9, 0.8} are above both known scores {0.1, 0.2}: AUROC 1, FPR@95TPR 0.
        Assert.Equal(1.0, m.GetProperty("detection").GetProperty("overall").GetProperty("auroc").GetDouble());
        Assert.Equal(0.0, m.GetProperty("detection").GetProperty("overall").GetProperty("fprAt95Tpr").GetDouble());
        Assert.False(m.TryGetProperty("closedSet", out _));
        Assert.False(m.TryGetProperty("openSet", out _));
        Assert.True(m.TryGetProperty("unfamiliarity", out _));
    }

    [Fact]
    public void A_threshold_turns_closed_set_predictions_into_open_set_predictions()
    {
        (string scores, string labels) = Small();
        string predictions = Write("p.csv", "label\n0\n0\n1\n1\n");

        // Threshold 0.85 rejects query 2 (0.9) only. Knowns: 0 right, 1 wrong -> TP 1, FP 1; unknown 3 accepted -> FN 1.
        // P = 1/2, R = 1/2, F = 1/2.
        CliResult r = CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--predictions", predictions, "--threshold", "0.85", "--out", Out);

        Assert.Equal(ExitCodes.Ok, r.ExitCode);
        JsonElement open = Read(Out).GetProperty("openSet");
        Assert.Equal("threshold", open.GetProperty("rejectionSource").GetString());
        Assert.Equal(1, open.GetProperty("rejection").GetProperty("unknownRejected").GetInt32());
        Assert.Equal(0.5, open.GetProperty("fMeasure").GetProperty("fMeasure").GetDouble());
        Assert.Equal(0.5, Read(Out).GetProperty("closedSet").GetProperty("accuracy").GetDouble());
    }

    private void AssertBadInput(CliResult r, params string[] expected)
    {
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        string[] lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("luna: error: ", lines[0]);
        foreach (string part in expected)
        {
            Assert.Contains(part, lines[0]);
        }
        Assert.False(File.Exists(Out));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(_dir, "*m.json*"));
    }

    [Fact]
    public void A_missing_scores_file_is_bad_input_naming_it()
    {
        (_, string labels) = Small();
        string missing = Path.Combine(_dir, "nope.csv");
        AssertBadInput(CliRunner.Run("metrics", "--scores", missing, "--labels", labels, "--out", Out), missing, "file not found");
    }

    [Fact]
    public void A_missing_labels_file_is_bad_input_naming_it()
    {
        (string scores, _) = Small();
        string missing = Path.Combine(_dir, "nope.npy");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", missing, "--out", Out), missing);
    }

    [Fact]
    public void Mismatched_row_counts_name_both_files_and_both_counts()
    {
        (string scores, string labels) = Small(labels: new[] { 0, 1, -1 });
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out), labels, "has 3 labels", scores, "has 4 scores");
    }

    [Fact]
    public void A_nan_score_is_bad_input_naming_the_file_line_and_value()
    {
        (string scores, string labels) = Small(scoreOverride: "NaN");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out), scores, "line 4", "'NaN'");
    }

    [Fact]
    public void An_infinite_score_is_bad_input()
    {
        (string scores, string labels) = Small(scoreOverride: "Infinity");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out), scores, "'Infinity'");
    }

    [Fact]
    public void Labels_without_unknowns_are_bad_input_because_auroc_needs_them()
    {
        (string scores, string labels) = Small(labels: new[] { 0, 1, 0, 1 });
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out), labels, "no label is -1", "AUROC");
    }

    [Fact]
    public void Labels_that_are_all_unknown_are_bad_input()
    {
        (string scores, string labels) = Small(labels: new[] { -1, -1, -1, -1 });
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out), labels, "all 4 labels are -1");
    }

    [Fact]
    public void A_label_below_minus_one_is_bad_input_naming_the_value()
    {
        (string scores, string labels) = Small(labels: new[] { 0, -7, -1, -1 });
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out), labels, "value -7 at index 1");
    }

    [Fact]
    public void Predictions_of_the_wrong_length_name_both_files()
    {
        (string scores, string labels) = Small();
        string predictions = Write("p.csv", "0\n1\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--predictions", predictions, "--out", Out), predictions, "has 2 predictions", scores, "4 scores");
    }

    [Fact]
    public void A_prediction_outside_the_training_classes_is_bad_input()
    {
        (string scores, string labels) = Small();
        string predictions = Write("p.csv", "0\n1\n5\n-1\n");
        string counts = Write("c.csv", "class,count\n0,500\n1,10\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--predictions", predictions, "--train-counts", counts, "--out", Out), predictions, "value 5 at index 2", "(0..1)");
    }

    [Fact]
    public void A_label_without_a_training_count_is_bad_input_naming_both_files()
    {
        (string scores, string labels) = Small();
        string counts = Write("c.csv", "500\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--train-counts", counts, "--out", Out), labels, "value 1 at index 1", counts);
    }

    [Fact]
    public void A_known_sample_in_an_unknown_group_is_bad_input_naming_the_line()
    {
        (string scores, string labels) = Small();
        string groups = Write("g.csv", "index,group\n0,known\n1,near\n2,near\n3,far\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--groups", groups, "--out", Out), groups, "line 3", "'near'", labels);
    }

    [Fact]
    public void An_unknown_sample_without_a_group_is_bad_input()
    {
        (string scores, string labels) = Small();
        string groups = Write("g.csv", "known\nknown\nnear\n\n");
        string content = File.ReadAllText(groups);
        Assert.EndsWith("\n\n", content);
        // Trailing empty lines are not samples, so this file has 3 rows for 4 scores.
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--groups", groups, "--out", Out), groups, "has 3 group rows");
        string groups2 = Write("g2.csv", "index,group\n0,\n1,\n2,near\n3,\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--groups", groups2, "--out", Out), groups2, "line 5", "need a group");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_non_finite_threshold_is_bad_input_naming_the_value(string value)
    {
        (string scores, string labels) = Small();
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--threshold", value, "--out", Out), "--threshold", value);
    }

    [Fact]
    public void An_accept_fraction_above_one_is_bad_input()
    {
        (string scores, string labels) = Small();
        string validation = Write("v.csv", "index,score,acquaintance\n0,0.1,0\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--validation-scores", validation, "--accept-fraction", "1.5", "--out", Out), "--accept-fraction", "1.5");
    }

    [Fact]
    public void Per_class_thresholds_without_validation_acquaintances_are_bad_input()
    {
        (string scores, string labels) = Small();
        string validation = Write("v.csv", "index,score,acquaintance\n0,0.1,\n1,0.2,\n");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--validation-scores", validation, "--per-class-thresholds", "--out", Out), validation, "acquaintance");
        AssertBadInput(CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--per-class-thresholds", "--out", Out), "--per-class-thresholds", "--validation-scores");
    }

    [Fact]
    public void A_failed_run_leaves_an_earlier_output_file_unchanged()
    {
        (string scores, string labels) = Small(labels: new[] { 0, 0, 0, 0 });
        File.WriteAllText(Out, "earlier");

        CliResult r = CliRunner.Run("metrics", "--scores", scores, "--labels", labels, "--out", Out);

        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal("earlier", File.ReadAllText(Out));
    }

    [Fact]
    public void A_missing_out_option_is_bad_input()
    {
        (string scores, string labels) = Small();
        Assert.Equal(ExitCodes.BadInput, CliRunner.Run("metrics", "--scores", scores, "--labels", labels).ExitCode);
    }
}
