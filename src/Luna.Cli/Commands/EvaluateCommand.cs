using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Luna.Cli.Pipeline;
using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core.Reporting;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna evaluate</c>: the open-set evaluation of a feature folder (from <c>luna extract</c>, or written by any other
/// framework in the same layout): every score, thresholds from validation, the report of <c>luna demo</c>.
/// </summary>
internal static class EvaluateCommand
{
    internal static Command Create()
    {
        var features = new Option<string>("--features") { Description = "A feature folder: classes.json, {train,validation,test}.{features,labels,logits}.npy, test.groups.csv (see docs/cli.md).", Required = true };
        var output = new Option<string>("--out") { Description = "The report folder to write (replaced as a whole when done).", Required = true };
        var name = new Option<string>("--name") { Description = "The name of these features in the report tables (default: the folder name)." };
        var evaluation = new EvaluationCliOptions();
        var command = new Command("evaluate", "Evaluate every novelty score on extracted features and write the benchmark report.") { features, output, name };
        evaluation.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return Task.FromResult(CommandRunner.Run(stderr, ct =>
            {
                var clock = Stopwatch.StartNew();
                EvaluationOptions options = evaluation.Bind(parse);
                string folder = parse.GetValue(features)!;
                string label = parse.GetValue(name) ?? new DirectoryInfo(folder).Name;
                EvaluationData data = FeatureDirectory.Read(folder);
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
                    $"Features: `{folder}` ({data.Train.Features.Rows} training, {data.Validation.Features.Rows} validation, {data.Test.Features.Rows} test rows of dimension {data.Train.Features.Columns}; {data.ClassNames.Count} known classes; logits {(data.Train.Logits is null ? "absent" : "present")}).",
                    string.Empty,
                    $"Reproduce: `{commandLine}`.",
                };
                RunReport.Write(outputDir.Staging, label, $"Open-set evaluation of {label}", preamble, runs, new Dictionary<string, EvaluationData> { [label] = data });
                RunManifest.Write(outputDir.File("manifest.json"), new JsonObject
                {
                    ["command"] = commandLine,
                    ["createdUtc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                    ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                    ["features"] = Path.GetFullPath(folder),
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
            }, cancellationToken));
        });
        return command;
    }
}
