using System.Diagnostics;
using System.Globalization;
using Luna.Cli.Commands;
using Luna.Core.Data;
using Luna.Core.Metrics;
using Luna.Core.Neighbors;
using Luna.Core.Scoring;
using Luna.Neighbors.Hnsw;

namespace Luna.Cli.Bench;

/// <summary>The settings of one <c>luna bench</c> run (sizes null = the scenario's default, the issue's sizes).</summary>
internal sealed record BenchSettings(
    IReadOnlyList<string> Scenarios,
    int? N,
    int? M,
    int? D,
    int? K,
    int Seed,
    string WorkDirectory,
    NeighborIndexChoice Index)
{
    /// <summary>Epochs of the training scenario (null = 3).</summary>
    public int? Epochs { get; init; }

    /// <summary>The Fashion-MNIST folder for the training scenario (null = the usual search, as <c>luna demo</c>).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The MNIST digits folder for the training scenario (null = the usual search).</summary>
    public string? MnistDirectory { get; init; }
}

/// <summary>A goal of the speed issue and how this run measured against it.</summary>
internal sealed record GoalVerdict(string Goal, string Measured, bool? Met);

/// <summary>
/// The scenarios of <c>luna bench</c>: data generated with a seed and written to .npy files, Luna timed in-process on the
/// files, the peers (numpy's matmul limit, scikit-learn, FAISS) timed on the same files; results as markdown.
/// </summary>
internal sealed partial class BenchRunner
{
    /// <summary>lof at the issue's shape: N references, M queries, d, k.</summary>
    public const string Lof = "lof-100k";

    /// <summary>luna (and scikit-learn's LOF) on ImageNet-LT-shaped data.</summary>
    public const string ImageNetLt = "imagenet-lt";

    /// <summary>HNSW against exact search at growing N.</summary>
    public const string HnswCurve = "hnsw-curve";

    /// <summary>The FMNIST-OLT network trained and run in TorchSharp against the same network in PyTorch.</summary>
    public const string Training = "training";

    /// <summary>Every scenario, in the order they run.</summary>
    public static readonly string[] All = [Lof, ImageNetLt, HnswCurve, Training];

    private const double NovelFraction = 0.2;
    private readonly BenchSettings _settings;
    private readonly Peers _peers;
    private readonly TextWriter _log;

    public BenchRunner(BenchSettings settings, Peers peers, TextWriter log)
    {
        _settings = settings;
        _peers = peers;
        _log = log;
    }

    /// <summary>The report so far, markdown.</summary>
    public List<string> Markdown { get; } = [];

    /// <summary>The goals judged so far.</summary>
    public List<GoalVerdict> Goals { get; } = [];

    /// <summary>Notes (skipped peers, size changes), markdown bullets.</summary>
    public List<string> Notes { get; } = [];

    public void Run(string scenario, CancellationToken cancellationToken)
    {
        _log.WriteLine($"luna bench: scenario {scenario} (load average {Machine.LoadAverage()})");
        switch (scenario)
        {
            case Lof:
                RunLof(cancellationToken);
                break;
            case ImageNetLt:
                RunImageNetLt(cancellationToken);
                break;
            case Training:
                RunTraining(cancellationToken);
                break;
            default:
                RunHnswCurve(cancellationToken);
                break;
        }
    }

    private string Path(string name) => System.IO.Path.Combine(_settings.WorkDirectory, name);

    private void RunLof(CancellationToken cancellationToken)
    {
        int n = _settings.N ?? 100_000;
        int m = _settings.M ?? 10_000;
        int d = _settings.D ?? 512;
        int k = _settings.K ?? 20;
        const int classes = 1000;
        bool[] novel = Generate("lof", n, m, d, DeepFeatures.ZipfLabels(_settings.Seed, n, classes), classes, out long inputBytes);
        string x = Path("lof_train.npy"), q = Path("lof_query.npy");

        var options = new NoveltyScorerOptions { K = k, Normalize = false };
        LunaRun luna = MeasureLuna(x, q, null, (training, query) =>
        {
            var watch = Stopwatch.StartNew();
            IFittedNoveltyScorer model = new LofScorer(options).Fit(training, cancellationToken);
            double fit = watch.Elapsed.TotalSeconds;
            watch.Restart();
            double[] scores = model.Score(query, cancellationToken).Scores;
            return (fit, watch.Elapsed.TotalSeconds, scores);
        }, cancellationToken);
        double lunaPairs = ((double)n * (n - 1) / 2) + ((double)m * n);

        PeerResult numpy = _peers.Run("numpy", "numpy_limit.py", ["--train", x, "--query", q, "--mode", "lof"], _log, cancellationToken);
        string sklearnScores = Path("lof_sklearn_scores.txt");
        PeerResult sklearn = _peers.Run("sklearn", "sklearn_lof.py", ["--train", x, "--query", q, "--k", K(k), "--out", sklearnScores], _log, cancellationToken);
        PeerResult faiss = _peers.Run("faiss", "faiss_flat.py", ["--train", x, "--query", q, "--k", K(k)], _log, cancellationToken);

        Markdown.Add($"### lof: N = {n:N0} references, M = {m:N0} queries (20% novel), d = {d}, k = {k}");
        Markdown.Add("");
        Markdown.Add("The same work as scikit-learn's `LocalOutlierFactor(novelty=True)` fit + `score_samples`: the training self-join and the queries' k-NN, then the factor.");
        Markdown.Add("");
        Table("Luna `lof` (exact)", luna, lunaPairs, d, inputBytes, [numpy, sklearn, faiss]);
        if (sklearn.Ran)
        {
            double[] expected = ReadScores(sklearnScores);
            Markdown.Add($"Luna's factors against scikit-learn's on all {m:N0} queries: largest relative difference {MaxRelativeDifference(expected, luna.Scores):E1}; AUROC (novel vs known) Luna {Auroc(luna.Scores, novel):F4}, scikit-learn {Auroc(expected, novel):F4}.");
            Markdown.Add("");
        }
        string sizes = $"N = {n:N0}, M = {m:N0}, d = {d}";
        Judge($"lof ≥ 3× faster than scikit-learn LOF ({sizes})", sklearn, p => p.Total / luna.Total, r => r >= 3, "×");
        Judge($"lof faster than FAISS IndexFlatL2 ({sizes})", faiss, p => p.Total / luna.Total, r => r > 1, "×");
        Judge($"lof within 1.5× of numpy's matmul of the same products ({sizes})", numpy, p => luna.Total / p.Total, r => r <= 1.5, "× numpy's time");
        JudgeMemory($"lof peak memory < 1.5× the inputs ({sizes})", luna, inputBytes);
    }

    private void RunImageNetLt(CancellationToken cancellationToken)
    {
        const int fullTotal = 115_846;
        int total = _settings.N ?? fullTotal;
        int m = _settings.M ?? 50_000;
        int d = _settings.D ?? 512;
        int k = _settings.K ?? NoveltyScorerOptions.Defaults.K;
        int classes = Math.Clamp(total / 20, 2, 1000);
        int head = Math.Max(10, (int)Math.Round(1280.0 * total / fullTotal * 1000 / classes));
        int[] counts = DeepFeatures.LongTailCounts(classes, head, Math.Min(5, head / 2), total);
        int[] labels = DeepFeatures.LabelsFromCounts(_settings.Seed, counts);
        bool[] novel = Generate("imagenet_lt", labels.Length, m, d, labels, classes, out long inputBytes, balancedQueries: true);
        string x = Path("imagenet_lt_train.npy"), q = Path("imagenet_lt_query.npy"), y = Path("imagenet_lt_labels.npy");
        long selfPairs = 0;
        foreach (int count in counts)
        {
            selfPairs += (long)count * (count - 1) / 2;
        }

        var options = new NoveltyScorerOptions { K = k, Normalize = false };
        LunaRun luna = MeasureLuna(x, q, y, (training, query) =>
        {
            var watch = Stopwatch.StartNew();
            IFittedNoveltyScorer model = new LunaScorer(options).Fit(training, cancellationToken);
            double fit = watch.Elapsed.TotalSeconds;
            watch.Restart();
            double[] scores = model.Score(query, cancellationToken).Scores;
            return (fit, watch.Elapsed.TotalSeconds, scores);
        }, cancellationToken);
        double lunaPairs = selfPairs + ((double)m * labels.Length);

        PeerResult numpy = _peers.Run("numpy", "numpy_limit.py", ["--train", x, "--query", q, "--labels", y, "--mode", "luna"], _log, cancellationToken);
        string sklearnScores = Path("imagenet_lt_sklearn_scores.txt");
        PeerResult sklearn = _peers.Run("sklearn", "sklearn_lof.py", ["--train", x, "--query", q, "--k", K(k), "--out", sklearnScores], _log, cancellationToken);

        Markdown.Add($"### luna on ImageNet-LT-shaped features: {classes:N0} classes of {counts[0]:N0} down to {counts[^1]:N0} (N = {labels.Length:N0}), M = {m:N0} queries (20% novel), d = {d}, k = {k}");
        Markdown.Add("");
        Markdown.Add("Luna `luna` fit (per-class self-joins, sum of n_c² / 2 products) + score (the candidate search over all training features, then each candidate class once); scikit-learn's LOF on the same features (a self-join over all N plus the queries); numpy: the products LUNA needs (Q·Xᵀ and every X_c·X_cᵀ).");
        Markdown.Add("");
        Table("Luna `luna` (exact)", luna, lunaPairs, d, inputBytes, [numpy, sklearn]);
        Markdown.Add($"AUROC (novel vs known) of Luna's `luna`: {Auroc(luna.Scores, novel):F4}{(sklearn.Ran ? $"; of scikit-learn's LOF on the same features: {Auroc(ReadScores(sklearnScores), novel):F4}" : "")}.");
        Markdown.Add("");
        string sizes = $"N = {labels.Length:N0}, M = {m:N0}, d = {d}";
        Judge($"luna ≥ 10× faster than scikit-learn LOF, ImageNet-LT shape ({sizes})", sklearn, p => p.Total / luna.Total, r => r >= 10, "×");
        JudgeMemory($"luna peak memory < 1.5× the inputs ({sizes})", luna, inputBytes);
    }

    private void RunHnswCurve(CancellationToken cancellationToken)
    {
        int largest = _settings.N ?? 1_000_000;
        int m = _settings.M ?? 10_000;
        int d = _settings.D ?? 128;
        int k = _settings.K ?? NoveltyScorerOptions.Defaults.K;
        const int classes = 1000;
        int[] sizes = [Math.Max(k + 2, largest / 10), Math.Max(k + 2, (3 * largest) / 10), largest];
        HnswOptions hnsw = _settings.Index.Hnsw();
        var features = new DeepFeatures(_settings.Seed, d, classes + 100);
        int[] labels = DeepFeatures.ZipfLabels(_settings.Seed, largest, classes);
        FeatureMatrix all = features.Sample(labels, stream: 1);
        (int[] queryClasses, bool[] novel) = QueryClasses(m, classes, 100, labels, balanced: false);
        FeatureMatrix queries = features.Sample(queryClasses, stream: 2);
        var query = new ScoringQuery(queries);

        Markdown.Add($"### HNSW against exact search: d = {d}, M = {m:N0} queries (20% novel), k = {k}, Zipf classes ({classes:N0})");
        Markdown.Add("");
        Markdown.Add($"`luna` fit + score with `--index exact` and `--index hnsw` (connectivity {hnsw.Connectivity}, expansion add {hnsw.ExpansionAdd}, search {hnsw.ExpansionSearch}; reference sets under {hnsw.ExactBelow:N0} rows, most per-class ones, stay exact). recall@{k}: the queries' {k} nearest training features from the HNSW graph against exact search. Fit includes building the graphs; score is the part that grows with the number of queries.");
        Markdown.Add("");
        Markdown.Add($"| N | exact: fit s | exact: score s | hnsw: fit s (graph build) | hnsw: score s | recall@{k} | AUROC exact | AUROC hnsw | ΔAUROC |");
        Markdown.Add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double recall = double.NaN, delta = double.NaN;
        foreach (int n in sizes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var x = new FeatureMatrix(all.Array.AsSpan(0, n * d).ToArray(), n, d);
            var training = new ScoringTrainingSet(x, labels[..n]) { FeaturesSource = $"hnsw-curve N={n}" };
            _log.WriteLine($"  N = {n:N0}: exact");
            var watch = Stopwatch.StartNew();
            LunaModel exact = new LunaScorer(new NoveltyScorerOptions { K = k, Normalize = false, AllowSingletonClasses = true }).FitModel(training, cancellationToken);
            double exactFit = watch.Elapsed.TotalSeconds;
            watch.Restart();
            double[] exactScores = exact.Score(query, cancellationToken).Scores;
            double exactScore = watch.Elapsed.TotalSeconds;
            _log.WriteLine($"  N = {n:N0}: hnsw");
            watch.Restart();
            var factory = new HnswNeighborIndexFactory(hnsw);
            LunaModel approximate = new LunaScorer(new NoveltyScorerOptions { K = k, Normalize = false, AllowSingletonClasses = true, NeighborIndex = factory }).FitModel(training, cancellationToken);
            double hnswFit = watch.Elapsed.TotalSeconds;
            watch.Restart();
            double[] hnswScores = approximate.Score(query, cancellationToken).Scores;
            double hnswScore = watch.Elapsed.TotalSeconds;
            recall = NeighborRecall.Compute(approximate.NeighborIndex.Search(queries, k, cancellationToken), exact.NeighborIndex.Search(queries, k, cancellationToken));
            double exactAuroc = Auroc(exactScores, novel), hnswAuroc = Auroc(hnswScores, novel);
            delta = Math.Abs(exactAuroc - hnswAuroc);
            (approximate.NeighborIndex as IDisposable)?.Dispose();
            Markdown.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {n:N0} | {Peers.Seconds(exactFit)} | {Peers.Seconds(exactScore)} | {Peers.Seconds(hnswFit)} | {Peers.Seconds(hnswScore)} | {recall:F4} | {exactAuroc:F4} | {hnswAuroc:F4} | {delta:F4} |"));
        }
        Markdown.Add("");
        if (ExactOnlyNote(hnsw, largest) is string note)
        {
            Notes.Add(note);
        }
        string at = $"N = {largest:N0}, d = {d}";
        Goals.Add(new GoalVerdict($"HNSW recall@{k} ≥ 0.95 ({at})", recall.ToString("F4", CultureInfo.InvariantCulture), recall >= 0.95));
        Goals.Add(new GoalVerdict($"HNSW luna AUROC within 0.005 of exact ({at})", $"Δ = {delta.ToString("F4", CultureInfo.InvariantCulture)}", delta <= 0.005));

        static string? ExactOnlyNote(HnswOptions options, int n)
            => n < options.ExactBelow ? $"hnsw-curve: N = {n:N0} is below --hnsw-exact-below {options.ExactBelow:N0}, so every search was exact." : null;
    }

    /// <summary>
    /// Generates training rows for <paramref name="labels"/> and M queries (20% from novel classes), writes the .npy files
    /// <c>{name}_train.npy</c>, <c>{name}_query.npy</c>, <c>{name}_labels.npy</c>, and returns which queries are novel.
    /// The matrices are dropped before returning, so that Luna's measurement starts from the files like the peers'.
    /// </summary>
    private bool[] Generate(string name, int n, int m, int d, int[] labels, int classes, out long inputBytes, bool balancedQueries = false)
    {
        _log.WriteLine($"  generating {name}: {n:N0} × {d} training rows, {m:N0} queries (seed {_settings.Seed})");
        var features = new DeepFeatures(_settings.Seed, d, classes + 100);
        (int[] queryClasses, bool[] novel) = QueryClasses(m, classes, 100, labels, balancedQueries);
        Npy.WriteMatrix(Path($"{name}_train.npy"), features.Sample(labels, stream: 1));
        Npy.WriteMatrix(Path($"{name}_query.npy"), features.Sample(queryClasses, stream: 2));
        Npy.WriteLabels(Path($"{name}_labels.npy"), labels);
        inputBytes = ((long)n + m) * d * sizeof(float);
        return novel;
    }

    /// <summary>Query classes: 80% known (balanced over the classes, or drawn like the training labels), 20% novel (balanced over the novel classes).</summary>
    private (int[] Classes, bool[] Novel) QueryClasses(int m, int known, int novelClasses, int[] trainingLabels, bool balanced)
    {
        int novelCount = (int)Math.Round(m * NovelFraction);
        var classes = new int[m];
        var novel = new bool[m];
        var random = new Random(_settings.Seed + 7);
        for (int i = 0; i < m; i++)
        {
            if (i < m - novelCount)
            {
                classes[i] = balanced ? i % known : trainingLabels[random.Next(trainingLabels.Length)];
            }
            else
            {
                classes[i] = known + (i % novelClasses);
                novel[i] = true;
            }
        }
        return (classes, novel);
    }

    private sealed record LunaRun(double Fit, double Score, double Total, long PeakBytes, long BaselineBytes, bool PeakReset, double[] Scores);

    /// <summary>Loads the files and runs <paramref name="body"/> in this process, measuring its peak resident memory.</summary>
    private LunaRun MeasureLuna(string train, string query, string? labelsPath, Func<ScoringTrainingSet, ScoringQuery, (double Fit, double Score, double[] Scores)> body, CancellationToken cancellationToken)
    {
        WarmUp(train, query, labelsPath, body);
        bool reset = Machine.ResetPeak();
        long baseline = Machine.ResidentBytes();
        FeatureMatrix x = Npy.ReadMatrix(train);
        int[] labels = labelsPath is null ? new int[x.Rows] : Npy.ReadLabels(labelsPath);
        var training = new ScoringTrainingSet(x, labels) { FeaturesSource = train };
        var queries = new ScoringQuery(Npy.ReadMatrix(query)) { FeaturesSource = query };
        _log.WriteLine($"  running Luna ({ExactNeighborIndex.KernelDescription})");
        cancellationToken.ThrowIfCancellationRequested();
        (double fit, double score, double[] scores) = body(training, queries);
        long peak = Machine.PeakResidentBytes();
        GC.KeepAlive(training);
        GC.KeepAlive(queries);
        return new LunaRun(fit, score, fit + score, peak, baseline, reset, scores);
    }

    /// <summary>
    /// Runs <paramref name="body"/> once on the first rows of the files (at most 3,000 training rows, 300 queries), so that
    /// the measured run does not pay for compiling the code paths or for choosing the kernel.
    /// </summary>
    private static void WarmUp(string train, string query, string? labelsPath, Func<ScoringTrainingSet, ScoringQuery, (double Fit, double Score, double[] Scores)> body)
    {
        FeatureMatrix x = Npy.ReadMatrix(train);
        FeatureMatrix q = Npy.ReadMatrix(query);
        int n = Math.Min(x.Rows, 3000);
        int[] labels = labelsPath is null ? new int[n] : Npy.ReadLabels(labelsPath)[..n];
        var subset = new FeatureMatrix(x.Array.AsSpan(0, n * x.Columns).ToArray(), n, x.Columns);
        int m = Math.Min(q.Rows, 300);
        var queries = new FeatureMatrix(q.Array.AsSpan(0, m * q.Columns).ToArray(), m, q.Columns);
        try
        {
            body(new ScoringTrainingSet(subset, labels), new ScoringQuery(queries));
        }
        catch (Luna.Core.LunaInputException)
        {
            // A subset can hold a class with one sample; the warm-up is best effort.
        }
    }

    private void Table(string name, LunaRun luna, double lunaPairs, int d, long inputBytes, PeerResult[] peers)
    {
        double inputMb = inputBytes / 1048576.0;
        Markdown.Add("| engine | fit s | score s | total s | Luna's speed-up | distance products | GFLOP/s | peak memory MB | peak / inputs |");
        Markdown.Add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        double lunaMb = luna.PeakBytes / 1048576.0;
        Markdown.Add(Row(name, luna.Fit, luna.Score, luna.Total, "1×", lunaPairs, d, lunaMb, inputMb));
        foreach (PeerResult peer in peers)
        {
            if (!peer.Ran)
            {
                Markdown.Add($"| {PeerName(peer.Peer)} | – | – | – | – | – | – | – | – |");
                Notes.Add($"{PeerName(peer.Peer)} skipped: {peer.Skipped}.");
                continue;
            }
            string speedup = string.Create(CultureInfo.InvariantCulture, $"{peer.Total / luna.Total:F2}×");
            Markdown.Add(Row(PeerName(peer.Peer), peer.Fit, peer.Score, peer.Total, speedup, peer.Pairs, d, peer.PeakMb, inputMb));
        }
        Markdown.Add("");
        Markdown.Add($"Inputs (training + query matrices, float32): {inputMb:F0} MB. Distance products = pairs of rows whose d-term inner product was computed (Luna's self-join computes each pair once); GFLOP/s = 2·d·products / total seconds. Peak memory = the process's peak resident set (Luna: of the bench process from loading the files to the last score, {luna.BaselineBytes / 1048576.0:F0} MB of it resident before loading: runtime, code, libraries).{(luna.PeakReset ? "" : " Luna's peak covers the whole bench process (the peak could not be reset).")}");
        foreach (PeerResult peer in peers.Where(p => p.Ran))
        {
            Markdown.Add($"- {PeerName(peer.Peer)}: {peer.Note}; BLAS: {peer.Blas}");
        }
        Markdown.Add("");
    }

    private static string Row(string name, double fit, double score, double total, string speedup, double pairs, int d, double peakMb, double inputMb)
        => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {Peers.Seconds(fit)} | {Peers.Seconds(score)} | {Peers.Seconds(total)} | {speedup} | {pairs:E2} | {2.0 * d * pairs / total / 1e9:F1} | {peakMb:F0} | {peakMb / inputMb:F2} |");

    private static string PeerName(string peer) => peer switch
    {
        "numpy" => "numpy matmul (the limit)",
        "sklearn" => "scikit-learn LocalOutlierFactor",
        "faiss" => "FAISS IndexFlatL2",
        _ => peer,
    };

    private void Judge(string goal, PeerResult peer, Func<PeerResult, double> ratio, Func<double, bool> met, string unit)
    {
        if (!peer.Ran)
        {
            Goals.Add(new GoalVerdict(goal, $"not measured: {peer.Skipped}", null));
            return;
        }
        double value = ratio(peer);
        Goals.Add(new GoalVerdict(goal, string.Create(CultureInfo.InvariantCulture, $"{value:F2}{unit}"), met(value)));
    }

    private void JudgeMemory(string goal, LunaRun luna, long inputBytes)
    {
        double ratio = (double)luna.PeakBytes / inputBytes;
        Goals.Add(new GoalVerdict(goal, string.Create(CultureInfo.InvariantCulture, $"{luna.PeakBytes / 1048576.0:F0} MB = {ratio:F2}× the inputs"), ratio < 1.5));
    }

    private static string K(int k) => k.ToString(CultureInfo.InvariantCulture);

    /// <summary>A peer's scores: one number per line (written with 17 significant digits, so no precision is lost).</summary>
    private static double[] ReadScores(string path)
        => File.ReadLines(path).Where(l => l.Length > 0).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

    private static double MaxRelativeDifference(double[] expected, double[] actual)
    {
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / Math.Max(Math.Abs(expected[i]), 1e-12));
        }
        return worst;
    }

    private static double Auroc(double[] scores, bool[] novel) => DetectionEvaluator.Auroc(scores, novel);
}
