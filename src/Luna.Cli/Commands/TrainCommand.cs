using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Luna.Cli.Pipeline;
using Luna.Core;
using Luna.Core.Data;
using Luna.Training;
using Luna.Vision.Models;
using Luna.Vision.Sources;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna train</c>: on FMNIST-OLT (no <c>--data</c>, or the Fashion-MNIST folder) trains one model on the long-tailed
/// training split and writes its checkpoint and a manifest beside it; on an image folder or an OLTR split file builds
/// a model (backbone, head, reference features, threshold) and writes it as one <c>.luna</c> file.
/// </summary>
internal static class TrainCommand
{
    internal static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the initialisation and the augmentation.", DefaultValueFactory = _ => 0 };
        var loss = new Option<string>("--loss") { Description = "ce, center, wcenter, focal or balanced-softmax.", DefaultValueFactory = _ => "wcenter" };
        var output = new Option<string>("--out") { Description = "The file to write: a checkpoint for FMNIST-OLT, a model file (.luna) for images.", Required = true };
        var backbone = new Option<string?>("--backbone") { Description = $"Images only: {ImageTrainingOptions.SmallResNetId} (trained from scratch) or {Luna.Vision.Backbones.ResNet18Backbone.Id} (pretrained, frozen, with a trained head; the default)." };
        var validation = new Option<string?>("--validation") { Description = "Images only: a validation image folder or split file (known classes only); default: hold out min(20, n_c/5) images per class." };
        var imageSize = new Option<int?>("--image-size") { Description = $"{ImageTrainingOptions.SmallResNetId}: side of the square input (default {ImageTrainingOptions.Defaults.ImageSize})." };
        var channels = new Option<int?>("--channels") { Description = $"{ImageTrainingOptions.SmallResNetId}: 1 or 3 input channels (default: 1 when every training image is greyscale, else 3)." };
        var noProjection = new Option<bool>("--no-projection") { Description = $"{Luna.Vision.Backbones.ResNet18Backbone.Id}: the head is a linear classifier on the 512-d features, with no projection (the center losses then change nothing)." };
        var k = new Option<int?>("--k") { Description = "Images only: LUNA's k (default 10)." };
        var accept = new Option<double?>("--accept-fraction") { Description = "Images only: fraction of the known validation images the threshold accepts (default 0.95)." };
        var data = new DataCliOptions();
        data.Data.Description = "An image folder (root/<class>/*.png|jpg|...), an OLTR split file, or the Fashion-MNIST IDX folder (default: Fashion-MNIST, FMNIST-OLT).";
        var images = new ImageCliOptions();
        var training = new TrainingCliOptions();
        training.Epochs.Description = $"Passes over the training set (default {TrainingOptions.Defaults.Epochs}; {ImageTrainingOptions.Defaults.HeadEpochs} for the head on --backbone resnet18-imagenet).";
        var command = new Command("train", "Train a model: on FMNIST-OLT a checkpoint; on your own images (folder or split file) a .luna model file for luna predict and luna evaluate.")
        {
            seed, loss, output, backbone, validation, imageSize, channels, noProjection, k, accept,
        };
        data.AddTo(command);
        images.AddSourceOptions(command);
        images.AddExtractionOptions(command);
        training.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, ct =>
            {
                string? dataPath = parse.GetValue(data.Data);
                DataSourceKind kind = DataSource.Resolve(dataPath, parse.GetValue(images.Source));
                string path = parse.GetValue(output)!;
                if (kind == DataSourceKind.FashionMnist)
                {
                    TrainingOptions options = training.Bind(parse) with { Loss = TrainingCliOptions.ParseLoss(parse.GetValue(loss)!), Seed = parse.GetValue(seed) };
                    return TrainFashionMnist(parse, options, dataPath, parse.GetValue(data.Mnist), path, stdout, stderr, ct);
                }
                BackboneKind backboneKind = parse.GetValue(backbone) is string b ? ImageTrainingOptions.ParseBackbone(b) : ImageTrainingOptions.Defaults.Backbone;
                int? defaultEpochs = backboneKind == BackboneKind.ResNet18ImageNet ? ImageTrainingOptions.Defaults.HeadEpochs : null;
                TrainingOptions trainingOptions = training.Bind(parse, defaultEpochs) with { Loss = TrainingCliOptions.ParseLoss(parse.GetValue(loss)!), Seed = parse.GetValue(seed) };
                var imageOptions = new ImageTrainingOptions
                {
                    Backbone = backboneKind,
                    Training = trainingOptions,
                    Projection = !parse.GetValue(noProjection),
                    ImageSize = parse.GetValue(imageSize) ?? ImageTrainingOptions.Defaults.ImageSize,
                    Channels = parse.GetValue(channels),
                    OnBadImage = images.Policy(parse),
                    CacheDirectory = parse.GetValue(images.CacheDir),
                    UseCache = !parse.GetValue(images.NoCache),
                    K = parse.GetValue(k) ?? Luna.Core.Scoring.NoveltyScorerOptions.Defaults.K,
                    AcceptFraction = parse.GetValue(accept) ?? Luna.Core.Metrics.Thresholds.DefaultAcceptFraction,
                };
                imageOptions.Validate();
                ImageCollection train = kind == DataSourceKind.Folder
                    ? ImageFolder.Read(dataPath!, images.Unknown(parse))
                    : SplitFile.ReadTraining(dataPath!, parse.GetValue(images.Root));
                if (kind == DataSourceKind.Split && images.Unknown(parse).Count > 0)
                {
                    throw new LunaInputException("--unknown-classes: applies to image folders; a split file marks open-set images with label -1");
                }
                ImageCollection? validationSet = parse.GetValue(validation) is string v
                    ? images.ReadForModel(parse, v, null, train.ClassNames)
                    : null;
                return TrainImages(train, validationSet, imageOptions, path, parse, stdout, stderr, ct);
            }, cancellationToken);
        });
        return command;
    }

    private static int TrainFashionMnist(ParseResult parse, TrainingOptions options, string? data, string? mnist, string path, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        FmnistOltBenchmark benchmark = FmnistOlt.Load(new FmnistOltOptions { Seed = options.Seed }, data, mnist);
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
    }

    private static int TrainImages(ImageCollection train, ImageCollection? validation, ImageTrainingOptions options, string path, ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        ProgressView view = ProgressView.Create(stderr);
        using ImageModel model = view.Run(v => ImageModel.Fit(train, validation, options, ImageCliOptions.Progress(v), ct));
        model.Info["command"] = "luna " + string.Join(' ', parse.Tokens.Select(t => t.Value));
        model.Info["trainingSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        model.Info["environment"] = RunManifest.Environment();
        model.Save(path);
        var rule = model.Predictor.Rule;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {path} ({model.ClassNames.Count} classes, {model.Train.Labels.Length} training and {model.Validation.Labels.Length} validation images, {model.BackboneId}, {TrainingCliOptions.LossName(options.Training.Loss)}, {clock.Elapsed.TotalSeconds:F0} s)"));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validation: balanced accuracy {rule.ValidationBalancedAccuracyTop1:F3} (top-1) / {rule.ValidationBalancedAccuracyAcquaintance:F3} (acquaintance), predictor {rule.Predictor}, LUNA threshold {rule.Threshold:G4} (accepts {rule.AcceptFraction:P0} of validation)"));
        foreach (string warning in model.Predictor.Warnings)
        {
            stderr.WriteLine($"luna: warning: {warning}");
        }
        return ExitCodes.Ok;
    }
}
