using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Cli.Tests;

public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("luna-score-").FullName;

    public ScoreCommandTests()
    {
        var random = new Random(11);
        Train = Matrix(random, 40, 4, row => row < 20 ? 0 : 3);
        Labels = Enumerable.Range(0, 40).Select(i => i < 20 ? 0 : 1).ToArray();
        TrainLogits = Logits(random, Labels);
        Query = Matrix(random, 10, 4, row => row % 2 == 0 ? 0 : 3);
        QueryLogits = Logits(random, Enumerable.Range(0, 10).Select(i => i % 2).ToArray());
        Npy.WriteMatrix(P("train.npy"), Train);
        Npy.WriteLabels(P("labels.npy"), Labels);
        Npy.WriteMatrix(P("train_logits.npy"), TrainLogits);
        Npy.WriteMatrix(P("query.npy"), Query);
        Npy.WriteMatrix(P("query_logits.npy"), QueryLogits);
    }

    private FeatureMatrix Train { get; }

    private int[] Labels { get; }

    private FeatureMatrix TrainLogits { get; }

    private FeatureMatrix Query { get; }

    private FeatureMatrix QueryLogits { get; }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static FeatureMatrix Matrix(Random random, int n, int d, Func<int, double> offset)
    {
        var m = new FeatureMatrix(n, d);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                m[i, j] = (float)(offset(i) + random.NextDouble());
            }
        }
        return m;
    }

    private static FeatureMatrix Logits(Random random, int[] labels)
    {
        var m = new FeatureMatrix(labels.Length, 2);
        for (int i = 0; i < labels.Length; i++)
        {
            m[i, 0] = (float)random.NextDouble();
            m[i, 1] = (float)random.NextDouble();
            m[i, labels[i]] += 2f;
        }
        return m;
    }

    private string[] Base(string method) =>
        ["score", "--method", method, "--train", P("train.npy"), "--train-labels", P("labels.npy"), "--query", P("query.npy"), "--out", P("scores.csv")];

    private string[] WithLogits(string method) => [.. Base(method), "--train-logits", P("train_logits.npy"), "--query-logits", P("query_logits.npy")];

    private ScoringTrainingSet TrainingSet => new(Train, Labels, TrainLogits);

    private ScoringQuery QuerySet => new(Query, QueryLogits);

    /// <summary>Exit code 2, exactly one line on stderr containing every fragment, and no output file (nor temporary file) left.</summary>
    private void AssertBadInput(CliResult result, params string[] fragments)
    {
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("luna: error: ", line);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, line);
        }
        Assert.False(File.Exists(P("scores.csv")));
        Assert.Empty(Directory.GetFiles(_dir, "*scores*"));
    }

    [Fact]
    public void Luna_writes_one_row_per_query_with_the_factor_and_acquaintance_of_the_library()
    {
        CliResult result = CliRunner.Run(WithLogits("luna"));
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("luna: scored 10 queries", result.Output);
        Assert.Equal(ScoreFile.Header, File.ReadLines(P("scores.csv")).First());
        NoveltyScores written = ScoreFile.Read(P("scores.csv"));
        NoveltyScores expected = new LunaScorer().Fit(TrainingSet).Score(QuerySet);
        Assert.Equal(expected.Scores, written.Scores);
        Assert.Equal(expected.Acquaintance, written.Acquaintance);
        Assert.Equal(new[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, written.Acquaintance);
    }

    [Fact]
    public void Index_hnsw_scores_through_the_graph_and_matches_the_library_with_the_same_settings()
    {
        // With --hnsw-exact-below 0 even these 40 training rows go through the HNSW graph; on so few points it finds
        // every neighbour, so the factors equal those of the library with the same factory (and of exact search).
        CliResult result = CliRunner.Run([.. WithLogits("luna"), "--index", "hnsw", "--hnsw-exact-below", "0", "--hnsw-connectivity", "8", "--hnsw-expansion-search", "64"]);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        var options = new NoveltyScorerOptions
        {
            NeighborIndex = new Luna.Neighbors.Hnsw.HnswNeighborIndexFactory(new Luna.Neighbors.Hnsw.HnswOptions { ExactBelow = 0, Connectivity = 8, ExpansionSearch = 64 }),
        };
        double[] written = ScoreFile.Read(P("scores.csv")).Scores;
        Assert.Equal(new LunaScorer(options).Fit(TrainingSet).Score(QuerySet).Scores, written);
        Assert.Equal(new LunaScorer().Fit(TrainingSet).Score(QuerySet).Scores, written);
    }

    [Fact]
    public void An_unknown_index_or_a_bad_hnsw_setting_is_bad_input()
    {
        AssertBadInput(CliRunner.Run([.. Base("lof"), "--index", "faiss"]), "--index", "faiss");
        AssertBadInput(CliRunner.Run([.. Base("lof"), "--index", "hnsw", "--hnsw-connectivity", "1"]), "--hnsw-connectivity", "1");
    }

    [Fact]
    public void Every_registered_method_runs_and_matches_the_library()
    {
        foreach (string method in NoveltyScorerRegistry.Names)
        {
            CliResult result = CliRunner.Run([.. WithLogits(method), "--k", "3"]);
            Assert.True(result.ExitCode == ExitCodes.Ok, $"{method}: {result.Error}");
            var options = new NoveltyScorerOptions { K = 3, KnnK = 3 };
            NoveltyScores expected = NoveltyScorerRegistry.Create(method, options).Fit(TrainingSet).Score(QuerySet);
            Assert.Equal(expected.Scores, ScoreFile.Read(P("scores.csv")).Scores);
        }
    }

    [Fact]
    public void Labels_may_be_a_csv_file_and_no_normalize_uses_the_features_as_given()
    {
        LabelFile.WriteCsv(P("labels.csv"), Labels);
        string[] args = [.. Base("knn"), "--no-normalize", "--k", "4"];
        args[6] = P("labels.csv");
        CliResult result = CliRunner.Run(args);
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        NoveltyScores expected = new KnnScorer(new NoveltyScorerOptions { KnnK = 4, Normalize = false }).Fit(TrainingSet).Score(QuerySet);
        Assert.Equal(expected.Scores, ScoreFile.Read(P("scores.csv")).Scores);
    }

    [Fact]
    public void Luna_with_candidates_all_equals_lof()
    {
        Assert.Equal(ExitCodes.Ok, CliRunner.Run([.. Base("luna"), "--candidates", "all"]).ExitCode);
        double[] luna = ScoreFile.Read(P("scores.csv")).Scores;
        Assert.Equal(ExitCodes.Ok, CliRunner.Run(Base("lof")).ExitCode);
        Assert.Equal(ScoreFile.Read(P("scores.csv")).Scores, luna);
    }

    [Fact]
    public void Warnings_go_to_stderr_and_the_command_still_succeeds()
    {
        CliResult result = CliRunner.Run([.. Base("lof"), "--k", "100"]);
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("luna: warning: k = 100 is larger than the 40 training samples minus one; using k = 39", result.Error.Trim());
        Assert.Equal(10, ScoreFile.Read(P("scores.csv")).Scores.Length);
    }

    [Fact]
    public void A_class_with_one_sample_is_bad_input_unless_allowed()
    {
        int[] labels = [.. Labels];
        labels[39] = 2;
        Npy.WriteLabels(P("labels.npy"), labels);
        AssertBadInput(CliRunner.Run(Base("luna")), P("labels.npy"), "class 2 has 1 training sample", "--allow-singleton-classes");

        CliResult allowed = CliRunner.Run([.. Base("luna"), "--allow-singleton-classes"]);
        Assert.Equal(ExitCodes.Ok, allowed.ExitCode);
        Assert.Contains("luna: warning: class 2 with a single training sample is left out", allowed.Error);
    }

    [Fact]
    public void A_missing_file_is_bad_input_naming_it()
    {
        string[] args = Base("luna");
        args[4] = P("nope.npy");
        AssertBadInput(CliRunner.Run(args), P("nope.npy"), "file not found");
    }

    [Fact]
    public void Labels_that_do_not_match_the_training_rows_are_bad_input()
    {
        Npy.WriteLabels(P("labels.npy"), Labels.AsSpan(0, 39));
        AssertBadInput(CliRunner.Run(Base("luna")), P("labels.npy"), "has 39 labels", P("train.npy"), "40 rows");
    }

    [Fact]
    public void Query_logits_that_do_not_match_the_query_rows_are_bad_input()
    {
        Npy.WriteMatrix(P("query_logits.npy"), new FeatureMatrix(9, 2));
        AssertBadInput(CliRunner.Run(WithLogits("energy")), P("query_logits.npy"), "has 9 rows", "has 10");
    }

    [Fact]
    public void A_query_dimension_different_from_training_is_bad_input()
    {
        Npy.WriteMatrix(P("query.npy"), new FeatureMatrix(10, 5));
        AssertBadInput(CliRunner.Run(Base("center")), P("query.npy"), "has 5 columns", "have 4");
    }

    [Theory]
    [InlineData("train.npy", float.NaN, "value NaN")]
    [InlineData("query.npy", float.PositiveInfinity, "value Infinity")]
    [InlineData("query.npy", float.NegativeInfinity, "value -Infinity")]
    public void A_non_finite_value_is_bad_input_naming_the_file_row_and_value(string file, float value, string expected)
    {
        FeatureMatrix m = file == "train.npy" ? Train : Query;
        m[3, 2] = value;
        Npy.WriteMatrix(P(file), m);
        AssertBadInput(CliRunner.Run(Base("luna")), P(file), "row 3, column 2", expected);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    public void K_below_one_is_bad_input_quoting_the_value(string k)
    {
        AssertBadInput(CliRunner.Run([.. Base("luna"), "--k", k]), $"--k: value {k} must be at least 1");
    }

    [Fact]
    public void An_unknown_method_is_bad_input_listing_the_valid_ones()
    {
        AssertBadInput(CliRunner.Run(Base("odin")), "--method: value 'odin'", "msp, maxlogit, energy, knn, lof, mahalanobis, center, luna");
    }

    [Fact]
    public void A_logit_method_without_logits_is_bad_input()
    {
        AssertBadInput(CliRunner.Run(Base("msp")), "--method msp needs the classifier's logits");
    }

    [Fact]
    public void Only_one_of_the_two_logits_files_is_bad_input()
    {
        AssertBadInput(CliRunner.Run([.. Base("luna"), "--train-logits", P("train_logits.npy")]), "--train-logits and --query-logits", P("train_logits.npy"));
    }

    [Fact]
    public void An_unknown_candidate_rule_and_top1_without_logits_are_bad_input()
    {
        AssertBadInput(CliRunner.Run([.. Base("luna"), "--candidates", "nearest"]), "--candidates: value 'nearest'");
        AssertBadInput(CliRunner.Run([.. Base("luna"), "--candidates", "top1"]), "--candidates top1 needs the classifier's logits");
    }

    [Fact]
    public void A_negative_training_label_is_bad_input_naming_the_element()
    {
        int[] labels = [.. Labels];
        labels[5] = -1;
        Npy.WriteLabels(P("labels.npy"), labels);
        AssertBadInput(CliRunner.Run(Base("knn")), P("labels.npy"), "element 5: label -1");
    }

    [Fact]
    public void A_missing_required_option_is_bad_input()
    {
        CliResult result = CliRunner.Run("score", "--method", "luna");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.False(File.Exists(P("scores.csv")));
    }

    [Fact]
    public void Help_lists_the_options_and_the_methods()
    {
        CliResult result = CliRunner.Run("score", "--help");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        foreach (string option in new[] { "--method", "--train", "--train-labels", "--query", "--train-logits", "--query-logits", "--k", "--no-normalize", "--candidates", "--out" })
        {
            Assert.Contains(option, result.Output);
        }
        Assert.Contains("mahalanobis", result.Output);
    }
}
