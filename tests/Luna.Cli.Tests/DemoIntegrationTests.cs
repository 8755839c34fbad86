using System.Text.Json;

namespace Luna.Cli.Tests;

/// <summary>
/// <c>luna demo --quick</c> end to end on the real Fashion-MNIST files (and the MNIST digits), once per test run:
/// the report's numbers are in range and the known/unknown separation is real. CI installs the data
/// (scripts/get-data.sh); without it these tests fail with the command's own message.
/// </summary>
public sealed class DemoIntegrationTests : IClassFixture<DemoIntegrationTests.QuickDemo>
{
    private readonly QuickDemo _demo;

    public DemoIntegrationTests(QuickDemo demo) => _demo = demo;

    public sealed class QuickDemo : IDisposable
    {
        public QuickDemo()
        {
            Folder = new TempFolder();
            Result = CliRunner.Run("demo", "--quick", "--out", Folder.File("demo"));
            if (Result.ExitCode == 0)
            {
                Metrics = JsonDocument.Parse(File.ReadAllText(Folder.File("demo", "metrics.json")));
            }
        }

        internal TempFolder Folder { get; }

        internal CliResult Result { get; }

        public JsonDocument? Metrics { get; }

        public JsonElement Summary(string score) => Metrics!.RootElement.GetProperty("summary").GetProperty("wcenter").GetProperty(score);

        public void Dispose()
        {
            Metrics?.Dispose();
            Folder.Dispose();
        }
    }

    [Fact]
    public void The_quick_demo_succeeds_and_writes_every_output()
    {
        Assert.True(_demo.Result.ExitCode == 0, _demo.Result.Error);
        foreach (string file in new[] { "report.md", "metrics.json", "manifest.json", "models/wcenter-seed0.ckpt", "features/wcenter-seed0/test.features.npy", "plots/luna-factor-wcenter.png", "plots/roc-wcenter.png", "plots/accuracy-by-count-wcenter.png" })
        {
            Assert.True(File.Exists(_demo.Folder.File("demo", file)), file);
        }
        Assert.Equal(["demo"], _demo.Folder.Entries());
    }

    [Fact]
    public void Luna_separates_known_from_unknown_images_on_the_quick_run()
    {
        Assert.True(_demo.Result.ExitCode == 0, _demo.Result.Error);
        double auroc = _demo.Summary("luna").GetProperty("auroc").GetProperty("mean").GetDouble();
        Assert.True(auroc > 0.7, $"luna AUROC {auroc} is not above 0.7");
        // The closing line gives the same figure as the report (here one seed; with several, their mean ± std).
        Assert.Contains(FormattableString.Invariant($"wcenter (seed 0): luna AUROC {auroc:F3}, FPR@95TPR "), _demo.Result.Output);
    }

    [Fact]
    public void Every_summary_number_is_a_rate_in_range_and_every_group_is_present()
    {
        Assert.True(_demo.Result.ExitCode == 0, _demo.Result.Error);
        foreach (JsonProperty score in _demo.Metrics!.RootElement.GetProperty("summary").GetProperty("wcenter").EnumerateObject())
        {
            foreach (JsonProperty metric in score.Value.EnumerateObject())
            {
                double mean = metric.Value.GetProperty("mean").GetDouble();
                double low = metric.Name == "spearman" ? -1 : 0;
                Assert.InRange(mean, low, 1);
            }
        }
        JsonElement luna = _demo.Summary("luna");
        foreach (string group in new[] { "aurocNear", "aurocFar", "aurocCross" })
        {
            Assert.True(luna.TryGetProperty(group, out _), group);
        }
        // The test split: 7 known classes and Shirt, Sneaker (near), Bag (far) at 1,000 each, and 1,000 digits (cross).
        JsonElement samples = _demo.Metrics.RootElement.GetProperty("runs")[0].GetProperty("evaluation").GetProperty("scores")[0].GetProperty("metrics").GetProperty("samples");
        Assert.Equal(11000, samples.GetProperty("total").GetInt32());
        Assert.Equal(7000, samples.GetProperty("known").GetInt32());
    }

    [Fact]
    public void The_report_has_its_tables_and_the_manifest_its_settings()
    {
        Assert.True(_demo.Result.ExitCode == 0, _demo.Result.Error);
        string report = File.ReadAllText(_demo.Folder.File("demo", "report.md"));
        Assert.Contains("## Closed-set accuracy", report);
        Assert.Contains("| wcenter | luna |", report);
        Assert.Contains("## Unfamiliarity level", report);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(_demo.Folder.File("demo", "manifest.json")));
        Assert.Equal(0, manifest.RootElement.GetProperty("seeds")[0].GetInt32());
        Assert.Equal(DemoQuickEpochs, manifest.RootElement.GetProperty("training").GetProperty("epochs").GetInt32());
        // docs/data.md: the training counts head to tail, T-shirt/top 3000 ... Coat 10.
        var counts = new Dictionary<string, int>();
        foreach (JsonElement known in manifest.RootElement.GetProperty("data")[0].GetProperty("knownClasses").EnumerateArray())
        {
            counts[known.GetProperty("name").GetString()!] = known.GetProperty("trainCount").GetInt32();
        }
        Assert.Equal(3000, counts["T-shirt/top"]);
        Assert.Equal(10, counts["Coat"]);
        Assert.Equal(7, counts.Count);
    }

    [Fact]
    public void Extracting_with_the_saved_model_reproduces_the_saved_features_bit_for_bit()
    {
        Assert.True(_demo.Result.ExitCode == 0, _demo.Result.Error);
        string features = _demo.Folder.File("extracted");
        CliResult r = CliRunner.Run("extract", "--model", _demo.Folder.File("demo", "models", "wcenter-seed0.ckpt"), "--out", features);
        try
        {
            Assert.True(r.ExitCode == 0, r.Error);
            foreach (string file in new[] { "train.features.npy", "validation.logits.npy", "test.features.npy", "test.labels.npy", "test.groups.csv" })
            {
                Assert.Equal(File.ReadAllBytes(_demo.Folder.File("demo", "features", "wcenter-seed0", file)), File.ReadAllBytes(Path.Combine(features, file)));
            }
        }
        finally
        {
            if (Directory.Exists(features))
            {
                Directory.Delete(features, recursive: true);
            }
        }
    }

    private static int DemoQuickEpochs => Commands.DemoCommand.QuickEpochs;
}
