using System.Text.Json;
using Luna.Vision.Tests;

namespace Luna.Cli.Tests;

/// <summary>
/// A Fashion-MNIST image folder written by the test (4 known classes, long-tailed 60/30/20/10, PNG 36×36 and JPEG
/// 20×20, some stored as colour; Trouser as the unknown class, also present in the training folder and named with
/// --unknown-classes) and one resnet18-imagenet model trained on it through the command line.
/// </summary>
public sealed class ImageFolderFixture : IDisposable
{
    public ImageFolderFixture()
    {
        Temp = new TempFolder();
        FashionImageFolder.Write(Root, new Dictionary<int, int> { [0] = 60, [5] = 30, [8] = 20, [9] = 10, [1] = 10 }, [0, 5, 8, 9, 1], 15);
        FirstTrain = CliRunner.Run("train", "--data", Train, "--unknown-classes", "trouser", "--backbone", "resnet18-imagenet", "--out", Model, "--cache-dir", Cache);
    }

    internal TempFolder Temp { get; }

    public string Root => Temp.File("fashion");

    public string Train => Temp.File("fashion", "train");

    public string Test => Temp.File("fashion", "test");

    public string Model => Temp.File("m.luna");

    public string Cache => Temp.File("cache");

    internal CliResult FirstTrain { get; }

    public void Dispose() => Temp.Dispose();
}

public class ImageCommandsTests(ImageFolderFixture fixture) : IClassFixture<ImageFolderFixture>
{
    [Fact]
    public void Train_writes_one_model_file_after_extracting_every_image_once()
    {
        CliResult r = fixture.FirstTrain;
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains($"wrote {fixture.Model} (4 classes, 96 training and 24 validation images, resnet18-imagenet, wcenter", r.Output);
        Assert.Contains("resnet18-imagenet: 120 images extracted, 0 from the feature cache", r.Error);
        Assert.True(File.Exists(fixture.Model));
    }

    [Fact]
    public void A_second_training_run_extracts_nothing_and_takes_every_feature_from_the_cache()
    {
        using var temp = new TempFolder();
        CliResult r = CliRunner.Run("train", "--data", fixture.Train, "--unknown-classes", "trouser", "--out", temp.File("again.luna"), "--cache-dir", fixture.Cache, "--epochs", "5");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("resnet18-imagenet: 0 images extracted, 120 from the feature cache", r.Error);
    }

    [Fact]
    public void Predict_as_json_answers_every_image_and_luna_separates_the_unknown_class_well_above_chance()
    {
        CliResult r = CliRunner.Run("predict", "--model", fixture.Model, "--format", "json", "--cache-dir", fixture.Cache, fixture.Test);
        Assert.True(r.ExitCode == 0, r.Error);
        using JsonDocument json = JsonDocument.Parse(r.Output);
        JsonElement[] answers = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(75, answers.Length);
        var known = new List<double>();
        var unknown = new List<double>();
        int correct = 0;
        foreach (JsonElement a in answers)
        {
            string path = a.GetProperty("path").GetString()!;
            string folder = Path.GetFileName(Path.GetDirectoryName(path))!;
            double probability = a.GetProperty("probability").GetDouble();
            Assert.InRange(probability, 0.0, 1.0);
            Assert.Contains(a.GetProperty("decision").GetString(), new[] { "known", "unknown" });
            Assert.Contains(a.GetProperty("acquaintance").GetString(), new[] { "bag", "boot", "sandal", "tshirt" });
            Assert.Contains(a.GetProperty("class").GetString(), new[] { "bag", "boot", "sandal", "tshirt" });
            Assert.False(string.IsNullOrEmpty(a.GetProperty("unfamiliarity").GetString()));
            double factor = a.GetProperty("luna").GetDouble();
            (folder == "trouser" ? unknown : known).Add(factor);
            correct += folder != "trouser" && a.GetProperty("class").GetString() == folder ? 1 : 0;
        }
        // AUROC by its definition: the probability that an unknown image has a higher factor than a known one (ties 1/2).
        double auroc = unknown.Sum(u => known.Sum(k => u > k ? 1.0 : u == k ? 0.5 : 0.0)) / (known.Count * (double)unknown.Count);
        Assert.True(auroc > 0.7, $"luna AUROC {auroc:F3}");
        Assert.True(correct >= 0.8 * known.Count, $"{correct} of {known.Count} known images classified correctly");
    }

    [Fact]
    public void Evaluate_on_the_test_folder_writes_the_demo_report_with_luna_above_chance()
    {
        using var temp = new TempFolder();
        CliResult r = CliRunner.Run("evaluate", "--model", fixture.Model, "--data", fixture.Test, "--out", temp.File("report"), "--cache-dir", fixture.Cache);
        Assert.True(r.ExitCode == 0, r.Error);
        foreach (string file in new[] { "report.md", "metrics.json", "manifest.json", "plots/roc-m.png", "plots/luna-factor-m.png" })
        {
            Assert.True(File.Exists(temp.File("report", file)), file);
        }
        string report = File.ReadAllText(temp.File("report", "report.md"));
        Assert.Contains("60 known, 15 unknown (trouser)", report);
        using JsonDocument metrics = JsonDocument.Parse(File.ReadAllText(temp.File("report", "metrics.json")));
        double auroc = metrics.RootElement.GetProperty("summary").GetProperty("m").GetProperty("luna").GetProperty("auroc").GetProperty("mean").GetDouble();
        Assert.InRange(auroc, 0.7, 1.0);
    }

    [Fact]
    public void Predict_prints_csv_when_not_on_a_terminal_and_a_table_on_request()
    {
        string image = Path.Combine(fixture.Test, "bag", "0000.png");
        CliResult csv = CliRunner.Run("predict", "--model", fixture.Model, "--cache-dir", fixture.Cache, image);
        Assert.True(csv.ExitCode == 0, csv.Error);
        string[] lines = csv.Output.TrimEnd().Split('\n');
        Assert.Equal("path,class,probability,luna,decision,acquaintance,percentile,unfamiliarity", lines[0]);
        Assert.StartsWith(image + ",", lines[1]);
        Assert.Equal(2, lines.Length);
        CliResult table = CliRunner.Run("predict", "--model", fixture.Model, "--cache-dir", fixture.Cache, "--format", "table", image);
        Assert.StartsWith("path", table.Output);
        Assert.Contains("bag", table.Output.Split('\n')[1]);
        Assert.Contains("luna: 1 image:", table.Error);
    }

    [Fact]
    public void Predict_streams_batch_by_batch_in_one_valid_json_array()
    {
        using var temp = new TempFolder();
        CliResult r = CliRunner.Run("predict", "--model", fixture.Model, "--format", "json", "--batch-size", "4", "--out", temp.File("answers.json"), "--cache-dir", fixture.Cache, Path.Combine(fixture.Test, "boot"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(string.Empty, r.Output);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(temp.File("answers.json")));
        Assert.Equal(15, json.RootElement.GetArrayLength());
        Assert.Equal(["answers.json"], temp.Entries());
    }

    [Fact]
    public void An_undecodable_image_stops_predict_with_exit_code_two_naming_it_or_is_skipped_on_request()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("broken.jpg"), "not a jpeg");
        File.Copy(Path.Combine(fixture.Test, "bag", "0000.png"), temp.File("bag.png"));
        CliResult fail = CliRunner.Run("predict", "--model", fixture.Model, "--cache-dir", fixture.Cache, "--format", "json", "--out", temp.File("out.json"), temp.Path);
        Assert.Equal(2, fail.ExitCode);
        Assert.Equal($"luna: error: {temp.File("broken.jpg")}: cannot be decoded: not a PNG, JPEG, BMP or WebP image (use --on-bad-image skip to leave such files out)", fail.Error.TrimEnd());
        Assert.False(File.Exists(temp.File("out.json")));
        CliResult skip = CliRunner.Run("predict", "--model", fixture.Model, "--cache-dir", fixture.Cache, "--format", "json", "--on-bad-image", "skip", temp.Path);
        Assert.Equal(0, skip.ExitCode);
        Assert.Contains($"luna: warning: skipped {temp.File("broken.jpg")}: cannot be decoded", skip.Error);
        using JsonDocument json = JsonDocument.Parse(skip.Output);
        Assert.Equal(temp.File("bag.png"), json.RootElement.EnumerateArray().Single().GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("truncated", "damaged or truncated model file (the archive cannot be read:")]
    [InlineData("flipped", "damaged model file: entry 'reference/train.features.npy' fails its checksum")]
    [InlineData("foreign", "is not a Luna model file (a .luna file is a zip archive written by luna train;")]
    public void A_damaged_or_foreign_model_file_is_exit_code_two_saying_what_is_wrong(string damage, string expected)
    {
        using var temp = new TempFolder();
        string path = temp.File("bad.luna");
        byte[] bytes = File.ReadAllBytes(fixture.Model);
        switch (damage)
        {
            case "truncated":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "flipped":
                File.Copy(fixture.Model, path);
                using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
                {
                    var entry = zip.GetEntry("reference/train.features.npy")!;
                    byte[] content;
                    using (var s = entry.Open())
                    using (var m = new MemoryStream())
                    {
                        s.CopyTo(m);
                        content = m.ToArray();
                    }
                    content[^1] ^= 0x40;
                    entry.Delete();
                    using var w = zip.CreateEntry("reference/train.features.npy").Open();
                    w.Write(content);
                }
                break;
            default:
                File.WriteAllText(path, "{\"weights\": []}");
                break;
        }
        CliResult r = CliRunner.Run("predict", "--model", path, "--format", "json", Path.Combine(fixture.Test, "bag", "0000.png"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"luna: error: {path}: {expected}", r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Equal(string.Empty, r.Output);
    }

    [Fact]
    public void A_split_file_with_a_label_out_of_range_is_exit_code_two_naming_line_and_value_and_leaves_no_report()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("test.txt"), "bag/0000.png 0\ntrouser/0000.png -1\nboot/0001.jpg 4\n");
        CliResult r = CliRunner.Run("evaluate", "--model", fixture.Model, "--data", temp.File("test.txt"), "--root", fixture.Test, "--out", temp.File("report"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"luna: error: {temp.File("test.txt")}: line 3: label 4 is out of range -1..3 (the model has 4 classes)", r.Error.TrimEnd());
        Assert.Equal(["test.txt"], temp.Entries());
    }

    [Fact]
    public void A_split_file_evaluates_like_the_folder_it_lists()
    {
        using var temp = new TempFolder();
        string[] classes = ["bag", "boot", "sandal", "tshirt"];
        var lines = new List<string>();
        foreach (string classFolder in Directory.GetDirectories(fixture.Test).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(classFolder);
            foreach (string file in Directory.GetFiles(classFolder).Order(StringComparer.Ordinal))
            {
                lines.Add($"{name}/{Path.GetFileName(file)} {Array.IndexOf(classes, name)}");
            }
        }
        File.WriteAllLines(temp.File("test.txt"), lines);
        CliResult split = CliRunner.Run("evaluate", "--model", fixture.Model, "--data", temp.File("test.txt"), "--root", fixture.Test, "--out", temp.File("split"), "--cache-dir", fixture.Cache, "--scores", "luna", "--name", "m");
        CliResult folder = CliRunner.Run("evaluate", "--model", fixture.Model, "--data", fixture.Test, "--out", temp.File("folder"), "--cache-dir", fixture.Cache, "--scores", "luna");
        Assert.True(split.ExitCode == 0, split.Error);
        Assert.True(folder.ExitCode == 0, folder.Error);
        Assert.Equal(folder.Output.Split('\n')[1], split.Output.Split('\n')[1]);
    }

    [Fact]
    public void An_undecodable_training_image_is_exit_code_two_naming_it_and_leaves_no_model()
    {
        using var temp = new TempFolder();
        CopyFolder(Path.Combine(fixture.Train, "bag"), temp.File("train", "bag"));
        CopyFolder(Path.Combine(fixture.Train, "boot"), temp.File("train", "boot"));
        File.WriteAllBytes(temp.File("train", "boot", "zz-broken.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 1, 2]);
        CliResult r = CliRunner.Run("train", "--data", temp.File("train"), "--out", temp.File("m.luna"), "--cache-dir", fixture.Cache, "--epochs", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"luna: error: {temp.File("train", "boot", "zz-broken.png")}: cannot be decoded: not a PNG, JPEG, BMP or WebP image (use --on-bad-image skip to leave such files out)", r.Error.Split('\n').Last(l => l.Length > 0));
        Assert.Equal(["train"], temp.Entries());
        CliResult skipped = CliRunner.Run("train", "--data", temp.File("train"), "--out", temp.File("m.luna"), "--cache-dir", fixture.Cache, "--epochs", "2", "--on-bad-image", "skip");
        Assert.True(skipped.ExitCode == 0, skipped.Error);
        Assert.Contains($"luna: warning: skipped {temp.File("train", "boot", "zz-broken.png")}: cannot be decoded", skipped.Error);
    }

    [Fact]
    public void An_empty_class_folder_is_exit_code_two_naming_it()
    {
        using var temp = new TempFolder();
        CopyFolder(Path.Combine(fixture.Train, "bag"), temp.File("train", "bag"));
        Directory.CreateDirectory(temp.File("train", "boot"));
        CliResult r = CliRunner.Run("train", "--data", temp.File("train"), "--out", temp.File("m.luna"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"luna: error: {temp.File("train", "boot")}: class folder 'boot' has no images (.png, .jpg, .jpeg, .bmp, .webp)", r.Error.TrimEnd());
        Assert.Equal(["train"], temp.Entries());
    }

    [Fact]
    public void A_training_split_naming_a_missing_file_is_exit_code_two_naming_line_and_path()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("train.txt"), "bag/0000.png 0\nboot/0000.png 1\nboot/9999.png 1\n");
        CliResult r = CliRunner.Run("train", "--data", temp.File("train.txt"), "--root", fixture.Train, "--out", temp.File("m.luna"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"luna: error: {temp.File("train.txt")}: line 3: image 'boot/9999.png' not found under {fixture.Train}", r.Error.TrimEnd());
        Assert.Equal(["train.txt"], temp.Entries());
    }

    [Theory]
    [InlineData("--backbone", "vgg", "--backbone: value 'vgg' is not one of small-resnet, resnet18-imagenet")]
    [InlineData("--on-bad-image", "ignore", "--on-bad-image: value 'ignore' is not one of fail, skip")]
    [InlineData("--unknown-classes", "wasp", "--unknown-classes: value 'wasp' is not a class folder of")]
    public void A_bad_image_option_is_exit_code_two_with_one_line(string option, string value, string expected)
    {
        using var temp = new TempFolder();
        CliResult r = CliRunner.Run("train", "--data", fixture.Train, "--out", temp.File("m.luna"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"luna: error: {expected}", r.Error);
        Assert.Empty(temp.Entries());
    }

    [Fact]
    public void Predict_on_a_missing_path_or_with_a_bad_format_is_exit_code_two()
    {
        CliResult missing = CliRunner.Run("predict", "--model", fixture.Model, "/no/such/photo.jpg");
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("luna: error: /no/such/photo.jpg: not found", missing.Error.TrimEnd());
        CliResult format = CliRunner.Run("predict", "--model", fixture.Model, "--format", "xml", fixture.Test);
        Assert.Equal(2, format.ExitCode);
        Assert.Equal("luna: error: --format: value 'xml' is not one of table, csv, json", format.Error.TrimEnd());
    }

    [Fact]
    public void The_small_resnet_backbone_trains_predicts_and_evaluates_on_the_same_folder()
    {
        using var temp = new TempFolder();
        CliResult train = CliRunner.Run("train", "--data", fixture.Train, "--unknown-classes", "trouser", "--backbone", "small-resnet", "--image-size", "16", "--epochs", "2", "--batch-size", "32", "--out", temp.File("s.luna"));
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("small-resnet", train.Output);
        CliResult predict = CliRunner.Run("predict", "--model", temp.File("s.luna"), "--format", "csv", Path.Combine(fixture.Test, "bag"));
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Equal(16, predict.Output.TrimEnd().Split('\n').Length);
        CliResult evaluate = CliRunner.Run("evaluate", "--model", temp.File("s.luna"), "--data", fixture.Test, "--out", temp.File("report"), "--scores", "luna,msp");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("luna AUROC", evaluate.Output);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
