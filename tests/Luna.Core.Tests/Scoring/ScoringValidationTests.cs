using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class ScoringValidationTests
{
    private static ScoringTrainingSet Training(int n = 6, int d = 3) => new ScoringTrainingSet(
        new FeatureMatrix(Enumerable.Range(0, n * d).Select(i => (float)Math.Sin(i)).ToArray(), n, d),
        Enumerable.Range(0, n).Select(i => i % 2).ToArray())
    { FeaturesSource = "x.npy", LabelsSource = "y.npy", LogitsSource = "tl.npy" };

    private static ScoringQuery Query(int m = 2, int d = 3) => new ScoringQuery(new FeatureMatrix(new float[m * d], m, d)) { FeaturesSource = "q.npy", LogitsSource = "ql.npy" };

    [Fact]
    public void Labels_that_do_not_match_the_feature_rows_name_both_files_and_counts()
    {
        ScoringTrainingSet training = Training() with { Labels = [0, 1, 0] };
        var ex = Assert.Throws<LunaInputException>(() => new LunaScorer().Fit(training));
        Assert.Equal("y.npy: has 3 labels but x.npy has 6 rows (one label per training sample)", ex.Message);
    }

    [Fact]
    public void A_non_finite_training_value_names_the_file_row_column_and_value()
    {
        ScoringTrainingSet training = Training();
        training.Features[4, 2] = float.NaN;
        var ex = Assert.Throws<LunaInputException>(() => new KnnScorer().Fit(training));
        Assert.StartsWith("x.npy: row 4, column 2: value NaN", ex.Message);
    }

    [Fact]
    public void An_infinite_query_value_names_the_query_file()
    {
        ScoringQuery query = Query();
        query.Features[1, 0] = float.PositiveInfinity;
        var ex = Assert.Throws<LunaInputException>(() => new CenterScorer().Fit(Training()).Score(query));
        Assert.StartsWith("q.npy: row 1, column 0: value Infinity", ex.Message);
    }

    [Fact]
    public void A_query_dimension_that_differs_from_training_names_both_files_and_dimensions()
    {
        var ex = Assert.Throws<LunaInputException>(() => new LofScorer().Fit(Training()).Score(Query(d: 4)));
        Assert.Equal("q.npy: has 4 columns but the training features x.npy have 3 (the feature dimension d must match)", ex.Message);
    }

    [Theory]
    [InlineData("luna")]
    [InlineData("lof")]
    [InlineData("mahalanobis")]
    [InlineData("center")]
    public void A_label_that_makes_more_classes_than_samples_is_an_error_before_anything_is_sized_by_it(string score)
    {
        // An unmapped class ID (here 1e9 among 6 samples) would otherwise size every per-class structure.
        ScoringTrainingSet training = Training() with { Labels = [0, 1, 0, 1_000_000_000, 0, 1] };

        var ex = Assert.Throws<LunaInputException>(() => NoveltyScorerRegistry.Create(score).Fit(training));

        Assert.Equal("y.npy: element 3: label 1000000000 makes 1000000001 classes for 6 training samples; labels must be 0..K-1 with K at most the number of samples or 65,536 (map class IDs to 0..K-1 first)", ex.Message);
    }

    [Fact]
    public void A_subsample_of_a_large_label_set_may_name_more_classes_than_it_has_samples()
    {
        // 6 samples of classes 0, 1 and 900 of a 1,000-class problem: most classes are empty, but this is no unmapped ID.
        ScoringTrainingSet training = Training() with { Labels = [0, 1, 0, 900, 900, 1] };

        NoveltyScores scores = new LunaScorer().Fit(training).Score(Query());

        Assert.Equal(2, scores.Scores.Length);
        Assert.All(scores.Acquaintance!, a => Assert.Contains(a, new[] { 0, 1, 900 }));
    }

    [Fact]
    public void A_query_dimension_that_differs_from_unnamed_training_features_says_so_once()
    {
        var training = new ScoringTrainingSet(Training().Features, Training().Labels);

        var ex = Assert.Throws<LunaInputException>(() => new LofScorer().Fit(training).Score(Query(d: 4)));

        Assert.Equal("q.npy: has 4 columns but the training features have 3 (the feature dimension d must match)", ex.Message);
    }

    [Fact]
    public void A_long_list_of_classes_in_a_message_is_cut_after_ten_with_the_count_of_the_rest()
    {
        Assert.Equal("4, 5, 6, 7, 8, 9, 10, 11, 12, 13, … and 90 more", ScoringValidation.ClassList(Enumerable.Range(4, 100).ToArray()));
        Assert.Equal("1 'rare', 3", ScoringValidation.ClassList([1, 3], ["a", "rare"]));
    }

    [Fact]
    public void A_negative_training_label_is_an_error_naming_the_element()
    {
        ScoringTrainingSet training = Training() with { Labels = [0, 1, 0, -1, 1, 0] };
        var ex = Assert.Throws<LunaInputException>(() => new MahalanobisScorer().Fit(training));
        Assert.StartsWith("y.npy: element 3: label -1 is not a known class", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void K_below_one_is_an_error_quoting_the_value(int k)
    {
        var ex = Assert.Throws<LunaInputException>(() => new LunaScorer(new NoveltyScorerOptions { K = k }).Fit(Training()));
        Assert.Equal($"--k: value {k} must be at least 1", ex.Message);
        Assert.Throws<LunaInputException>(() => new KnnScorer(new NoveltyScorerOptions { KnnK = k }).Fit(Training()));
    }

    [Fact]
    public void Logits_with_the_wrong_number_of_rows_or_columns_name_the_file()
    {
        ScoringTrainingSet training = Training() with { Logits = new FeatureMatrix(5, 2) };
        var rows = Assert.Throws<LunaInputException>(() => new MspScorer().Fit(training));
        Assert.Equal("tl.npy: has 5 rows but x.npy has 6 (one row of logits per training sample)", rows.Message);

        IFittedNoveltyScorer model = new EnergyScorer().Fit(Training() with { Logits = new FeatureMatrix(6, 2) });
        var columns = Assert.Throws<LunaInputException>(() => model.Score(Query() with { Logits = new FeatureMatrix(2, 3) }));
        Assert.Equal("ql.npy: has 3 columns but the training logits have 2 classes (one logit column per known class)", columns.Message);
        var queryRows = Assert.Throws<LunaInputException>(() => model.Score(Query() with { Logits = new FeatureMatrix(1, 2) }));
        Assert.Equal("ql.npy: has 1 rows but q.npy has 2 (one row of logits per query)", queryRows.Message);
    }

    [Fact]
    public void A_label_without_a_logit_column_is_an_error()
    {
        ScoringTrainingSet training = Training() with { Labels = [0, 1, 2, 0, 1, 2], Logits = new FeatureMatrix(6, 2) };
        var ex = Assert.Throws<LunaInputException>(() => new MaxLogitScorer().Fit(training));
        Assert.Equal("y.npy: element 2: label 2 has no logit column; tl.npy has 2 columns (classes 0..1)", ex.Message);
    }

    [Fact]
    public void Too_few_training_samples_for_a_neighbourhood_is_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => new LofScorer().Fit(Training(n: 1)));
        Assert.Equal("x.npy: has 1 rows; method 'lof' needs at least 2 training samples", ex.Message);
    }
}
