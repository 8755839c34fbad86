using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Luna.Cli.Pipeline;
using Luna.Core.Data;
using Luna.Training;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna train</c>: trains one model on the FMNIST-OLT long-tailed training split and writes its checkpoint
/// (<c>--out M.ckpt</c>) and a manifest beside it (<c>M.ckpt.manifest.json</c>).
/// </summary>
internal static class TrainCommand
{
    internal static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the initialisation and the augmentation (default 0).", DefaultValueFactory = _ => 0 };
        var loss = new Option<string>("--loss") { Description = "ce, center, wcenter (default), focal or balanced-softmax.", DefaultValueFactory = _ => "wcenter" };
        var output = new Option<string>("--out") { Description = "The checkpoint file to write.", Required = true };
        var data = new DataCliOptions();
        var training = new TrainingCliOptions();
        var command = new Command("train", "Train a feature extractor on FMNIST-OLT with ce, center or wcenter and save its checkpoint.") { seed, loss, output };
        data.AddTo(command);
        training.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return Task.FromResult(CommandRunner.Run(stderr, ct =>
            {
                TrainingOptions options = training.Bind(parse) with { Loss = TrainingCliOptions.ParseLoss(parse.GetValue(loss)!), Seed = parse.GetValue(seed) };
                string path = parse.GetValue(output)!;
                FmnistOltBenchmark benchmark = FmnistOlt.Load(new FmnistOltOptions { Seed = options.Seed }, parse.GetValue(data.Data), parse.GetValue(data.Mnist));
                TorchSetup.EnsureInitialized();
                var clock = Stopwatch.StartNew();
                ProgressView view = ProgressView.Create(stderr);
                using TrainedModel model = view.Run(v => FmnistOltPipeline.Train(benchmark, options, v, $"seed {options.Seed} {TrainingCliOptions.LossName(options.Loss)}", ct));
                model.Save(path);
                RunManifest.Write(path + ".manifest.json", new JsonObject
                {
                    ["command"] = "luna " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
                    ["createdUtc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                    ["trainingSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                    ["training"] = RunManifest.ToNode(options),
                    ["epochs"] = RunManifest.ToNode(model.History),
                    ["environment"] = RunManifest.Environment(),
                    ["data"] = JsonNode.Parse(benchmark.Manifest.ToJson()),
                });
                EpochSummary last = model.History[^1];
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {path} ({model.ClassCount} classes, {benchmark.Train.Count} training images, {options.Epochs} epochs in {clock.Elapsed.TotalSeconds:F0} s, final loss {last.Loss:F4}, train accuracy {last.Accuracy:F3})"));
                return ExitCodes.Ok;
            }, cancellationToken));
        });
        return command;
    }
}
