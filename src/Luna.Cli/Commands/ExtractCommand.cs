using System.CommandLine;
using Luna.Cli.Pipeline;
using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Training;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna extract</c>: runs a trained checkpoint over the FMNIST-OLT train, validation and test splits (rebuilt with
/// the seed the model was trained with) and writes a feature folder (see <see cref="FeatureDirectory"/>).
/// </summary>
internal static class ExtractCommand
{
    internal static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A checkpoint written by luna train or luna demo.", Required = true };
        var output = new Option<string>("--out") { Description = "The feature folder to write (replaced as a whole when done).", Required = true };
        var device = new Option<string?>("--device") { Description = "cpu (default) or cuda." };
        var data = new DataCliOptions();
        var command = new Command("extract", "Extract features and logits of the FMNIST-OLT splits with a trained model, as .npy files.") { model, output, device };
        data.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, ct =>
            {
                string modelPath = parse.GetValue(model)!;
                if (!File.Exists(modelPath))
                {
                    throw Luna.Core.LunaInputException.InFile(modelPath, "file not found");
                }
                TorchSetup.EnsureInitialized();
                DeviceKind deviceKind = parse.GetValue(device) is string d ? TorchSetup.ParseDevice(d) : DeviceKind.Cpu;
                using TrainedModel trained = TrainedModel.Load(modelPath, deviceKind);
                FmnistOltBenchmark benchmark = FmnistOlt.Load(new FmnistOltOptions { Seed = trained.Options.Seed }, parse.GetValue(data.Data), parse.GetValue(data.Mnist));
                using var folder = new OutputDirectory(parse.GetValue(output)!);
                ProgressView view = ProgressView.Create(stderr);
                EvaluationData features = view.Run(v => FmnistOltPipeline.Extract(trained, benchmark, v, $"seed {trained.Options.Seed}", ct));
                FeatureDirectory.Write(folder.Staging, features);
                benchmark.Manifest.Write(folder.File("data-manifest.json"));
                folder.Publish();
                stdout.WriteLine($"wrote {folder.Target} (train {features.Train.Features.Rows}, validation {features.Validation.Features.Rows}, test {features.Test.Features.Rows} rows of {features.Train.Features.Columns} features)");
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }
}
