using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Luna.Cli.Pipeline;
using Luna.Core;
using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core.Reporting;
using Luna.Core.Scoring;
using Luna.Training;
using Luna.Training.Losses;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna demo</c>: the FMNIST-OLT benchmark end to end — build the long-tailed open-set splits from the real
/// Fashion-MNIST files, train (wcenter by default), extract features, fit every novelty score, choose thresholds on
/// the known-only validation split, evaluate on the test split, and write the report, metrics, manifest, plots,
/// features and models into one folder.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Epochs of a <c>--quick</c> run (the CI smoke run; the default run uses <see cref="TrainingOptions.Defaults.Epochs"/>).</summary>
    public const int QuickEpochs = 4;

    /// <summary>Seeds of the default run.</summary>
    public const int DefaultSeeds = 3;

    /// <summary>The default output folder.</summary>
    public const string DefaultOut = "runs/demo";

    internal static Command Create()
    {
        var seeds = new Option<int?>("--seeds") { Description = $"Number of seeds, run as first-seed, first-seed+1, ... (default {DefaultSeeds}; 1 with --quick)." };
        var firstSeed = new Option<int>("--first-seed") { Description = "The first seed.", DefaultValueFactory = _ => 0 };
        var quick = new Option<bool>("--quick") { Description = $"A short smoke run: 1 seed, {QuickEpochs} epochs (unless --seeds / --epochs say otherwise)." };
        var losses = new Option<string>("--loss")
        {
            Description = "Training loss, or a comma-separated list to compare: ce, center, wcenter, focal, balanced-softmax.",
            DefaultValueFactory = _ => "wcenter",
        };
        var evaluation = new EvaluationCliOptions();
        var data = new DataCliOptions();
        var output = new Option<string>("--out") { Description = "Output folder; replaced as a whole when the run completes.", DefaultValueFactory = _ => DefaultOut };
        var noFeatures = new Option<bool>("--no-save-features") { Description = "Do not keep the extracted features (.npy) in the output folder." };
        var training = new TrainingCliOptions();

        var command = new Command("demo", "Run the FMNIST-OLT benchmark end to end: train, extract, score, evaluate, report.")
        {
            seeds, firstSeed, quick, losses, output, noFeatures,
        };
        evaluation.AddTo(command);
        data.AddTo(command);
        training.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, ct =>
            {
                bool isQuick = parse.GetValue(quick);
                int seedCount = parse.GetValue(seeds) ?? (isQuick ? 1 : DefaultSeeds);
                if (seedCount < 1)
                {
                    throw new LunaInputException($"--seeds: value {seedCount} must be at least 1");
                }
                var settings = new DemoSettings(
                    Enumerable.Range(parse.GetValue(firstSeed), seedCount).ToArray(),
                    ParseLosses(parse.GetValue(losses)!),
                    training.Bind(parse, isQuick ? QuickEpochs : null),
                    evaluation.Bind(parse),
                    parse.GetValue(data.Data),
                    parse.GetValue(data.Mnist),
                    parse.GetValue(output)!,
                    !parse.GetValue(noFeatures),
                    string.Join(' ', parse.Tokens.Select(t => t.Value)));
                return Run(settings, stdout, stderr, ct);
            }, cancellationToken);
        });
        return command;
    }

    private sealed record DemoSettings(
        int[] Seeds,
        LossKind[] Losses,
        TrainingOptions Training,
        EvaluationOptions Evaluation,
        string? Data,
        string? Mnist,
        string Out,
        bool SaveFeatures,
        string CommandLine);

    private static int Run(DemoSettings s, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var output = new OutputDirectory(s.Out);
        var runs = new List<RunResult>();
        var dataByLoss = new Dictionary<string, EvaluationData>(StringComparer.Ordinal);
        var runEntries = new JsonArray();
        var dataManifests = new JsonArray();
        var benchmarkNotes = new SortedSet<string>(StringComparer.Ordinal);
        ProgressView view = ProgressView.Create(stderr);
        TorchSetup.EnsureInitialized();
        view.Run(v =>
        {
            foreach (int seed in s.Seeds)
            {
                Action loaded = v.Step($"seed {seed}: build FMNIST-OLT");
                FmnistOltBenchmark benchmark = FmnistOlt.Load(new FmnistOltOptions { Seed = seed }, s.Data, s.Mnist);
                loaded();
                dataManifests.Add(JsonNode.Parse(benchmark.Manifest.ToJson()));
                foreach (string note in benchmark.Notes)
                {
                    benchmarkNotes.Add(note);
                }
                foreach (LossKind loss in s.Losses)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string lossName = TrainingCliOptions.LossName(loss);
                    string label = $"seed {seed} {lossName}";
                    TrainingOptions options = s.Training with { Loss = loss, Seed = seed };
                    var trainClock = Stopwatch.StartNew();
                    using TrainedModel model = FmnistOltPipeline.Train(benchmark, options, v, label, cancellationToken);
                    double trainSeconds = trainClock.Elapsed.TotalSeconds;
                    string run = $"{lossName}-seed{seed}";
                    model.Save(output.File("models", run + ".ckpt"));
                    EvaluationData data = FmnistOltPipeline.Extract(model, benchmark, v, label, cancellationToken);
                    if (s.SaveFeatures)
                    {
                        FeatureDirectory.Write(output.File("features", run), data);
                    }
                    Action scored = v.Step($"{label}: fit and evaluate {(s.Evaluation.Scores ?? NoveltyScorerRegistry.Names).Count} scores");
                    EvaluationResult evaluation = OpenSetEvaluation.Evaluate(data, s.Evaluation, cancellationToken: cancellationToken);
                    scored();
                    runs.Add(new RunResult(lossName, seed, evaluation));
                    dataByLoss.TryAdd(lossName, data);
                    runEntries.Add(new JsonObject
                    {
                        ["loss"] = lossName,
                        ["seed"] = seed,
                        ["model"] = $"models/{run}.ckpt",
                        ["features"] = s.SaveFeatures ? $"features/{run}" : null,
                        ["trainingSeconds"] = Math.Round(trainSeconds, 1),
                        ["epochs"] = RunManifest.ToNode(model.History),
                    });
                }
            }
            return 0;
        });

        cancellationToken.ThrowIfCancellationRequested();
        var preamble = new List<string>
        {
            $"FMNIST-OLT: 7 known Fashion-MNIST classes trained long-tailed (exp profile, 3000 down to 10 images), Shirt and Sneaker as near unknowns, Bag as far unknown{(benchmarkNotes.Count == 0 ? ", 1,000 MNIST digits as cross-domain unknowns" : string.Empty)}; thresholds from 20 known validation images per class.",
            string.Empty,
            $"Losses: {string.Join(", ", s.Losses.Select(TrainingCliOptions.LossName))}; {s.Training.Epochs} epochs, batch {s.Training.BatchSize}, {s.Training.Optimizer.ToString().ToLowerInvariant()} lr {s.Training.EffectiveLearningRate.ToString(CultureInfo.InvariantCulture)} ({s.Training.Schedule.ToString().ToLowerInvariant()}), beta {s.Training.Beta.ToString(CultureInfo.InvariantCulture)}, feature dim {s.Training.FeatureDim}; LUNA k = {s.Evaluation.Scoring.K}.",
            string.Empty,
            $"Reproduce: `luna {s.CommandLine}` ({clock.Elapsed.TotalMinutes:F1} min on {Environment.ProcessorCount} cores).",
        };
        foreach (string note in benchmarkNotes)
        {
            preamble.Add(string.Empty);
            preamble.Add($"Note: {note}");
        }
        RunReport.Write(output.Staging, FmnistOlt.Name, "FMNIST-OLT benchmark report", preamble, runs, dataByLoss);
        var manifest = new JsonObject
        {
            ["command"] = "luna " + s.CommandLine,
            ["createdUtc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["seeds"] = RunManifest.ToNode(s.Seeds),
            ["losses"] = RunManifest.ToNode(s.Losses.Select(TrainingCliOptions.LossName).ToArray()),
            ["training"] = RunManifest.ToNode(s.Training),
            ["evaluation"] = RunManifest.ToNode(s.Evaluation),
            ["environment"] = RunManifest.Environment(),
            ["runs"] = runEntries,
            ["data"] = dataManifests,
        };
        RunManifest.Write(output.File("manifest.json"), manifest);
        output.Publish();
        stdout.WriteLine($"wrote {Path.Combine(s.Out, "report.md")} ({runs.Count} run{(runs.Count == 1 ? "" : "s")}, {clock.Elapsed.TotalMinutes:F1} min)");
        foreach (string loss in runs.Select(r => r.Loss).Distinct())
        {
            RunResult[] seeds = runs.Where(r => r.Loss == loss).ToArray();
            ScoreEvaluation?[] luna = seeds.Select(r => r.Evaluation.Find("luna")).ToArray();
            if (luna.Any(l => l is null))
            {
                continue;
            }
            string Summary(Func<int, double?> metric) => SeedSummary.Of(Enumerable.Range(0, seeds.Length).Select(metric))?.Format() ?? "n/a";
            stdout.WriteLine(
                $"{loss} ({(seeds.Length == 1 ? $"seed {seeds[0].Seed}" : $"mean ± std over {seeds.Length} seeds")}): "
                + $"luna AUROC {Summary(i => luna[i]!.Metrics.Detection.Overall.Auroc)}, FPR@95TPR {Summary(i => luna[i]!.Metrics.Detection.Overall.FprAt95Tpr)}, "
                + $"closed-set accuracy {Summary(i => seeds[i].Evaluation.ClosedSetTop1?.Accuracy)}, open-set F-measure {Summary(i => luna[i]!.Metrics.OpenSet?.FMeasure?.FMeasure)}");
        }
        return ExitCodes.Ok;
    }

    internal static LossKind[] ParseLosses(string value)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new LunaInputException($"--loss: value '{value}' names no loss");
        }
        return parts.Select(TrainingCliOptions.ParseLoss).Distinct().ToArray();
    }
}
