using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Luna.Cli.Pipeline;
using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core;
using Luna.Core.Reporting;
using Luna.Vision.Images;
using Luna.Vision.Models;
using Luna.Vision.Sources;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna evaluate</c>: the open-set evaluation of a feature folder (from <c>luna extract</c>, or written by any other
/// framework in the same layout), or of a model file on test images (an image folder or split files): every score,
/// thresholds from validation, the report of <c>luna demo</c>.
/// </summary>
internal static class EvaluateCommand
{
    internal static Command Create()
    {
        var features = new Option<string?>("--features") { Description = "A feature folder: classes.json, {train,validation,test}.{features,labels,logits}.npy, test.groups.csv (see docs/cli.md)." };
        var model = new Option<string?>("--model") { Description = "A model file (.luna) from luna train, evaluated on the images of --data (instead of --features)." };
        var testOption = new Option<string?>("--data") { Description = "With --model: the test images, an image folder (folders named like the model's classes are known, any other folder unknown) or a split file (labels -1..K-1)." };
        var open = new Option<string?>("--open") { Description = "With --model: an extra open-set split file (every label -1), e.g. ImageNet_LT_open.txt." };
        var images = new ImageCliOptions();
        var output = new Option<string>("--out") { Description = "The report folder to write (replaced as a whole when done).", Required = true };
        var name = new Option<string>("--name") { Description = "The name of these features in the report tables (default: the folder name)." };
        var evaluation = new EvaluationCliOptions();
        var command = new Command("evaluate", "Evaluate every novelty score on extracted features, or a model file on test images, and write the benchmark report.") { features, model, testOption, open, output, name };
        evaluation.AddTo(command);
        images.AddSourceOptions(command);
        images.AddExtractionOptions(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, ct =>
            {
                var clock = Stopwatch.StartNew();
                EvaluationOptions options = evaluation.Bind(parse);
                string? folder = parse.GetValue(features);
                string? modelPath = parse.GetValue(model);
                if ((folder is null) == (modelPath is null))
                {
                    throw new LunaInputException("evaluate: give either --features DIR or --model M.luna --data TEST");
                }
                string source;
                string description;
                EvaluationData data;
                JsonObject extra;
                if (modelPath is not null)
                {
                    string testData = parse.GetValue(testOption) ?? throw new LunaInputException("--model: needs --data, the test images (an image folder or a split file)");
                    (data, description, extra) = ExtractImages(parse, images, modelPath, testData, parse.GetValue(open), stderr, ct);
                    source = Path.GetFullPath(modelPath);
                }
                else
                {
                    data = FeatureDirectory.Read(folder!);
                    source = Path.GetFullPath(folder!);
                    description = $"Features: `{folder}` ({data.Train.Features.Rows} training, {data.Validation.Features.Rows} validation, {data.Test.Features.Rows} test rows of dimension {data.Train.Features.Columns}; {data.ClassNames.Count} known classes; logits {(data.Train.Logits is null ? "absent" : "present")}).";
                    extra = new JsonObject { ["features"] = source };
                }
                string label = parse.GetValue(name) ?? (folder is not null ? new DirectoryInfo(folder).Name : Path.GetFileNameWithoutExtension(modelPath!));
                using var outputDir = new OutputDirectory(parse.GetValue(output)!);
                ProgressView view = ProgressView.Create(stderr);
                EvaluationResult result = view.Run(v =>
                {
                    Action done = v.Step($"{label}: fit and evaluate {(options.Scores ?? Luna.Core.Scoring.NoveltyScorerRegistry.Names).Count} scores");
                    EvaluationResult r = OpenSetEvaluation.Evaluate(data, options, cancellationToken: ct);
                    done();
                    return r;
                });
                var runs = new[] { new RunResult(label, 0, result) };
                string commandLine = "luna " + string.Join(' ', parse.Tokens.Select(t => t.Value));
                var preamble = new List<string>
                {
                    description,
                    string.Empty,
                    $"Reproduce: `{commandLine}`.",
                };
                RunReport.Write(outputDir.Staging, label, $"Open-set evaluation of {label}", preamble, runs, new Dictionary<string, EvaluationData> { [label] = data }, modelPath is null ? "features" : "model", seeded: false);
                RunManifest.Write(outputDir.File("manifest.json"), new JsonObject
                {
                    ["command"] = commandLine,
                    ["createdUtc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                    ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                    ["input"] = extra,
                    ["evaluation"] = RunManifest.ToNode(options),
                    ["environment"] = RunManifest.Environment(),
                });
                outputDir.Publish();
                stdout.WriteLine($"wrote {Path.Combine(outputDir.Target, "report.md")}");
                if (result.Find("luna") is { } luna)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"luna AUROC {luna.Metrics.Detection.Overall.Auroc:F3}, FPR@95TPR {luna.Metrics.Detection.Overall.FprAt95Tpr:F3}"));
                }
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static (EvaluationData Data, string Description, JsonObject Manifest) ExtractImages(ParseResult parse, ImageCliOptions images, string modelPath, string testData, string? open, TextWriter stderr, CancellationToken ct)
    {
        using ImageModel model = images.LoadModel(parse, modelPath);
        ImageCollection test = images.ReadForModel(parse, testData, open, model.ClassNames);
        ProgressView view = ProgressView.Create(stderr);
        ImageFeatures extracted = view.Run(v =>
        {
            Action done = v.Step($"{model.BackboneId}: features of {test.Entries.Count} test images");
            ImageFeatures f = model.Extract(test.Entries.Select(e => e.Path).ToArray(), images.Policy(parse), null, ct);
            done();
            foreach (SkippedImage s in f.Skipped)
            {
                v.Message($"luna: warning: skipped {s.Reason}");
            }
            return f;
        });
        ImageEntry[] kept = extracted.Kept.Select(i => test.Entries[i]).ToArray();
        int[] labels = kept.Select(e => e.Label).ToArray();
        var testSplit = new FeatureSplit(extracted.Features, extracted.Logits, labels);
        var data = new EvaluationData(model.Train, model.Validation, testSplit, model.ClassNames)
        {
            TrainCounts = model.TrainCounts,
            TestUnknownClasses = kept.Select(e => e.Label < 0 ? e.SourceClass : null).ToArray(),
        };
        int unknown = labels.Count(l => l < 0);
        string[] unknownClasses = kept.Where(e => e.Label < 0).Select(e => e.SourceClass).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        string description = string.Create(CultureInfo.InvariantCulture,
            $"Model: `{modelPath}` ({model.BackboneId}, {model.ClassNames.Count} known classes, {model.Train.Labels.Length} training and {model.Validation.Labels.Length} validation images, feature dimension {model.Train.Features.Columns}). Test images: `{test.Description}`: {labels.Length - unknown} known, {unknown} unknown ({(unknownClasses.Length == 0 ? "none" : string.Join(", ", unknownClasses))}){(extracted.Skipped.Count > 0 ? $", {extracted.Skipped.Count} skipped" : "")}; {extracted.Extracted} extracted, {extracted.FromCache} from the feature cache.");
        var manifest = new JsonObject
        {
            ["model"] = Path.GetFullPath(modelPath),
            ["backbone"] = model.BackboneId,
            ["test"] = test.Description,
            ["testImages"] = labels.Length,
            ["unknownImages"] = unknown,
            ["unknownClasses"] = RunManifest.ToNode(unknownClasses),
            ["skippedImages"] = RunManifest.ToNode(extracted.Skipped.Select(s => s.Path).ToArray()),
        };
        return (data, description, manifest);
    }
}
