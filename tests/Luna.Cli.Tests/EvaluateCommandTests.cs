using System.Text.Json;
using Luna.Core.Data;
using Luna.Core.Tests.Evaluation;

namespace Luna.Cli.Tests;

public class EvaluateCommandTests
{
    [Fact]
    public void A_feature_folder_gives_the_report_metrics_plots_and_manifest()
    {
        using var temp = new TempFolder();
        FeatureDirectory.Write(temp.File("features"), SyntheticOpenSet.Create());
        CliResult r = CliRunner.Run("evaluate", "--features", temp.File("features"), "--out", temp.File("report"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("luna AUROC", r.Output);
        foreach (string file in new[] { "report.md", "metrics.json", "manifest.json", "plots/roc-features.png", "plots/luna-factor-features.png", "plots/accuracy-by-count-features.png" })
        {
            Assert.True(File.Exists(temp.File("report", file)), file);
        }
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(temp.File("report", "metrics.json")));
        double auroc = metrics.RootElement.GetProperty("summary").GetProperty("features").GetProperty("luna").GetProperty("auroc").GetProperty("mean").GetDouble();
        Assert.InRange(auroc, 0.9, 1.0);
        Assert.Equal(["features", "report"], temp.Entries());
    }

    [Fact]
    public void A_second_run_replaces_the_report_folder_as_a_whole()
    {
        using var temp = new TempFolder();
        FeatureDirectory.Write(temp.File("features"), SyntheticOpenSet.Create());
        Directory.CreateDirectory(temp.File("report"));
        File.WriteAllText(temp.File("report", "stale.txt"), "old");
        CliResult r = CliRunner.Run("evaluate", "--features", temp.File("features"), "--out", temp.File("report"), "--scores", "luna,msp");
        Assert.Equal(0, r.ExitCode);
        Assert.False(File.Exists(temp.File("report", "stale.txt")));
        Assert.Equal(["features", "report"], temp.Entries());
    }

    [Theory]
    [InlineData("--k", "0", "--k: value 0 must be at least 1")]
    [InlineData("--scores", "luna,nope", "--scores: value 'nope' is not a known novelty score")]
    [InlineData("--accept-fraction", "1.5", "--accept-fraction: value 1.5 must be in (0, 1]")]
    public void A_bad_option_is_exit_code_two_with_one_line_and_no_output(string option, string value, string expected)
    {
        using var temp = new TempFolder();
        FeatureDirectory.Write(temp.File("features"), SyntheticOpenSet.Create());
        CliResult r = CliRunner.Run("evaluate", "--features", temp.File("features"), "--out", temp.File("report"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal(["features"], temp.Entries());
    }

    [Fact]
    public void A_missing_feature_folder_is_exit_code_two_naming_it()
    {
        using var temp = new TempFolder();
        CliResult r = CliRunner.Run("evaluate", "--features", temp.File("nowhere"), "--out", temp.File("report"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(temp.File("nowhere") + ": folder not found", r.Error);
        Assert.Empty(temp.Entries());
    }

    [Fact]
    public void A_damaged_feature_file_is_exit_code_two_and_leaves_no_report()
    {
        using var temp = new TempFolder();
        FeatureDirectory.Write(temp.File("features"), SyntheticOpenSet.Create());
        byte[] bytes = File.ReadAllBytes(temp.File("features", "test.features.npy"));
        File.WriteAllBytes(temp.File("features", "test.features.npy"), bytes[..(bytes.Length / 2)]);
        CliResult r = CliRunner.Run("evaluate", "--features", temp.File("features"), "--out", temp.File("report"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("test.features.npy: file is truncated", r.Error);
        Assert.Equal(["features"], temp.Entries());
    }

    [Fact]
    public void A_cancelled_run_exits_130_and_leaves_an_earlier_report_untouched()
    {
        using var temp = new TempFolder();
        FeatureDirectory.Write(temp.File("features"), SyntheticOpenSet.Create());
        Directory.CreateDirectory(temp.File("report"));
        File.WriteAllText(temp.File("report", "earlier.txt"), "kept");
        CliResult r = CliRunner.Run(new CancellationToken(canceled: true), "evaluate", "--features", temp.File("features"), "--out", temp.File("report"));
        Assert.Equal(130, r.ExitCode);
        Assert.Contains("cancelled; no output was changed", r.Error);
        Assert.Equal("kept", File.ReadAllText(temp.File("report", "earlier.txt")));
        Assert.Equal(["features", "report"], temp.Entries());
    }
}
