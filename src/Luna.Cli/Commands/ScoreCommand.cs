using System.CommandLine;
using Luna.Core;
using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna score</c>: fits a novelty score on training features (labels, logits) and writes the score of every query to a
/// CSV with header <c>index,score,acquaintance</c> (higher = more novel; acquaintance = a class or empty).
/// </summary>
internal static class ScoreCommand
{
    internal static Command Create()
    {
        var method = new Option<string>("--method")
        {
            Description = $"The novelty score: {string.Join(", ", NoveltyScorerRegistry.Names)}.",
            Required = true,
        };
        var train = new Option<string>("--train") { Description = "Training features, .npy float32/float64 [n, d].", Required = true };
        var trainLabels = new Option<string>("--train-labels") { Description = "Training labels 0..K-1, .npy (integer) or CSV.", Required = true };
        var query = new Option<string>("--query") { Description = "Query features, .npy [m, d].", Required = true };
        var trainLogits = new Option<string?>("--train-logits") { Description = "Training logits, .npy [n, K] (msp, maxlogit, energy need them; luna adds the top-1 class to the candidates)." };
        var queryLogits = new Option<string?>("--query-logits") { Description = "Query logits, .npy [m, K]; give both logits files or neither." };
        var k = new Option<int?>("--k")
        {
            Description = $"Neighbourhood size: luna and lof (default {NoveltyScorerOptions.Defaults.K}), knn (default {NoveltyScorerOptions.Defaults.KnnK}).",
        };
        var candidates = new Option<string?>("--candidates")
        {
            Description = "luna's candidate classes: neighbours (default; classes among the k nearest training features plus the top-1 class), top1 (the classifier's class only), all (classes ignored, = LOF).",
        };
        var noNormalize = new Option<bool>("--no-normalize") { Description = "Use the features as given instead of L2-normalising them (luna, lof, knn, center)." };
        var allowSingletons = new Option<bool>("--allow-singleton-classes")
        {
            Description = "luna: accept classes with a single training sample and leave them out of the candidates (default: such a class is an error).",
        };
        var temperature = new Option<double?>("--temperature")
        {
            Description = $"energy: the temperature T (default {NoveltyScorerOptions.Defaults.Temperature}).",
        };
        var output = new Option<string>("--out") { Description = "The scores CSV to write (index,score,acquaintance).", Required = true };
        var index = new NeighborIndexOptions();

        var command = new Command("score", "Fit a novelty score on training features and score queries (higher = more novel).")
        {
            method, train, trainLabels, query, trainLogits, queryLogits, k, candidates, noNormalize, allowSingletons, temperature, output,
        };
        index.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            var arguments = new Arguments(
                parse.GetValue(method)!,
                parse.GetValue(train)!,
                parse.GetValue(trainLabels)!,
                parse.GetValue(query)!,
                parse.GetValue(trainLogits),
                parse.GetValue(queryLogits),
                parse.GetValue(k),
                parse.GetValue(candidates),
                !parse.GetValue(noNormalize),
                parse.GetValue(allowSingletons),
                parse.GetValue(temperature),
                parse.GetValue(output)!,
                index.Read(parse));
            return CommandRunner.RunAsync(stderr, ct => Run(arguments, stdout, stderr, ct), cancellationToken);
        });
        return command;
    }

    private sealed record Arguments(
        string Method,
        string Train,
        string TrainLabels,
        string Query,
        string? TrainLogits,
        string? QueryLogits,
        int? K,
        string? Candidates,
        bool Normalize,
        bool AllowSingletonClasses,
        double? Temperature,
        string Out,
        NeighborIndexChoice Index);

    private static int Run(Arguments a, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        NoveltyScorerInfo info = NoveltyScorerRegistry.Describe(a.Method, "--method");
        if ((a.TrainLogits is null) != (a.QueryLogits is null))
        {
            string given = a.TrainLogits is null ? $"--query-logits {a.QueryLogits}" : $"--train-logits {a.TrainLogits}";
            throw new LunaInputException($"give both --train-logits and --query-logits, or neither (got only {given})");
        }
        if (info.NeedsLogits && a.TrainLogits is null)
        {
            throw new LunaInputException($"--method {info.Name} needs the classifier's logits: give --train-logits and --query-logits");
        }
        CandidateRule rule = ParseCandidates(a.Candidates);
        bool isLuna = info.Name == LunaScorer.RegistryName;
        if (a.Candidates is not null && !isLuna)
        {
            stderr.WriteLine($"luna: warning: --candidates applies to --method luna only; ignored for {info.Name}");
        }
        if (isLuna && rule == CandidateRule.Top1 && a.QueryLogits is null)
        {
            throw new LunaInputException("--candidates top1 needs the classifier's logits: give --train-logits and --query-logits");
        }
        if (a.K is < 1)
        {
            throw new LunaInputException($"--k: value {a.K} must be at least 1");
        }
        var options = new NoveltyScorerOptions
        {
            K = a.K ?? NoveltyScorerOptions.Defaults.K,
            KnnK = a.K ?? NoveltyScorerOptions.Defaults.KnnK,
            Normalize = a.Normalize,
            Candidates = rule,
            AllowSingletonClasses = a.AllowSingletonClasses,
            Temperature = a.Temperature ?? NoveltyScorerOptions.Defaults.Temperature,
            NeighborIndex = a.Index.CreateFactory(),
        };

        FeatureMatrix trainFeatures = Npy.ReadMatrix(a.Train);
        int[] labels = LabelFile.Read(a.TrainLabels);
        FeatureMatrix? trainLogits = a.TrainLogits is null ? null : Npy.ReadMatrix(a.TrainLogits);
        FeatureMatrix queryFeatures = Npy.ReadMatrix(a.Query);
        FeatureMatrix? queryLogits = a.QueryLogits is null ? null : Npy.ReadMatrix(a.QueryLogits);
        var training = new ScoringTrainingSet(trainFeatures, labels, trainLogits)
        {
            FeaturesSource = a.Train,
            LabelsSource = a.TrainLabels,
            LogitsSource = a.TrainLogits ?? "training logits",
        };
        var queries = new ScoringQuery(queryFeatures, queryLogits)
        {
            FeaturesSource = a.Query,
            LogitsSource = a.QueryLogits ?? "query logits",
        };

        INoveltyScorer scorer = NoveltyScorerRegistry.Create(info.Name, options);
        IFittedNoveltyScorer fitted = scorer.Fit(training, cancellationToken);
        foreach (string warning in fitted.Warnings)
        {
            stderr.WriteLine($"luna: warning: {warning}");
        }
        NoveltyScores scores = fitted.Score(queries, cancellationToken);
        foreach (string warning in scores.Warnings)
        {
            stderr.WriteLine($"luna: warning: {warning}");
        }
        cancellationToken.ThrowIfCancellationRequested();
        ScoreFile.Write(a.Out, scores);
        stdout.WriteLine($"{info.Name}: scored {scores.Scores.Length} queries against {trainFeatures.Rows} training samples; wrote {a.Out}");
        return ExitCodes.Ok;
    }

    private static CandidateRule ParseCandidates(string? value) => value switch
    {
        null => NoveltyScorerOptions.Defaults.Candidates,
        "neighbours" or "neighbors" => CandidateRule.Neighbours,
        "top1" => CandidateRule.Top1,
        "all" => CandidateRule.All,
        _ => throw new LunaInputException($"--candidates: value '{value}' is not one of neighbours, top1, all"),
    };
}
