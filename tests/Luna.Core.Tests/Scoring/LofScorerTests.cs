using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class LofScorerTests
{
    private static readonly NoveltyScorerOptions s_raw = new() { Normalize = false };

    private static NoveltyScores ScoreCase(string name, int k, out IFittedNoveltyScorer model)
    {
        var training = new ScoringTrainingSet(ScoringData.Matrix($"{name}_train.npy"), ScoringData.Labels($"{name}_labels.npy"));
        model = new LofScorer(s_raw with { K = k }).Fit(training);
        return model.Score(new ScoringQuery(ScoringData.Matrix($"{name}_query.npy")));
    }

    [Fact]
    public void Lof_equals_scikit_learn_on_random_data()
    {
        NoveltyScores scores = ScoreCase("lof_random", 10, out IFittedNoveltyScorer model);
        ScoringData.AssertClose(ScoringData.Expected("lof_random_expected.csv")["score"], scores.Scores, 1e-6);
        Assert.Empty(model.Warnings);
    }

    [Fact]
    public void Lof_equals_scikit_learn_on_duplicated_points()
    {
        NoveltyScores scores = ScoreCase("lof_duplicates", 5, out _);
        ScoringData.AssertClose(ScoringData.Expected("lof_duplicates_expected.csv")["score"], scores.Scores, 1e-6);
    }

    [Fact]
    public void Lof_equals_scikit_learn_when_k_is_larger_than_the_training_set_and_warns()
    {
        NoveltyScores scores = ScoreCase("lof_k_larger", 20, out IFittedNoveltyScorer model);
        ScoringData.AssertClose(ScoringData.Expected("lof_k_larger_expected.csv")["score"], scores.Scores, 1e-6);
        string warning = Assert.Single(model.Warnings);
        Assert.Contains("k = 20", warning);
        Assert.Contains("using k = 7", warning);
    }

    [Theory]
    [InlineData("lof_random", 10)]
    [InlineData("lof_duplicates", 5)]
    public void Lof_with_the_gemm_engine_equals_scikit_learn_and_the_direct_engine(string name, int k)
    {
        var training = new ScoringTrainingSet(ScoringData.Matrix($"{name}_train.npy"), ScoringData.Labels($"{name}_labels.npy"));
        var query = new ScoringQuery(ScoringData.Matrix($"{name}_query.npy"));
        NoveltyScores direct = new LofScorer(s_raw with { K = k }).Fit(training).Score(query);
        NoveltyScores gemm = new LofScorer(s_raw with { K = k, NeighborIndex = GemmIndexFactory.Instance }).Fit(training).Score(query);
        Assert.Equal(direct.Scores, gemm.Scores);
        Assert.Equal(direct.Acquaintance, gemm.Acquaintance);
        ScoringData.AssertClose(ScoringData.Expected($"{name}_expected.csv")["score"], gemm.Scores, 1e-6);
    }

    [Fact]
    public void Lof_of_three_points_on_a_line_equals_the_factor_worked_by_hand()
    {
        // Training points 0, 1, 3 on a line, k = 2 (each point's neighbours are the other two):
        //   kdist(0) = 3, kdist(1) = 2, kdist(3) = 3
        //   lrd(0) = 1 / mean(max(2, 1), max(3, 3)) = 1 / 2.5 = 0.4
        //   lrd(1) = 1 / mean(max(3, 1), max(3, 2)) = 1 / 3
        //   lrd(3) = 1 / mean(max(2, 2), max(3, 3)) = 0.4
        // Query 1.4: neighbours 1 (0.4) and 0 (1.4): lrd = 1 / mean(2, 3) = 0.4, LOF = mean(1/3, 0.4) / 0.4 = 11/12.
        // Query 6:   neighbours 3 (3) and 1 (5):     lrd = 1 / mean(3, 5) = 0.25, LOF = mean(0.4, 1/3) / 0.25 = 22/15.
        // Query 0 (a training point; novelty mode keeps it as its own neighbour): neighbours 0 (0) and 1 (1):
        //            lrd = 1 / mean(3, 2) = 0.4, LOF = mean(0.4, 1/3) / 0.4 = 11/12.
        var training = new ScoringTrainingSet(FeatureMatrix.FromRows(new[] { new[] { 0f }, new[] { 1f }, new[] { 3f } }), new[] { 0, 0, 0 });
        IFittedNoveltyScorer model = new LofScorer(s_raw with { K = 2 }).Fit(training);
        NoveltyScores scores = model.Score(new ScoringQuery(FeatureMatrix.FromRows(new[] { new[] { 1.4f }, new[] { 6f }, new[] { 0f } })));
        // (1.4f is not exactly 1.4, but both reachability distances of that query are kdist values, 2 and 3.)
        Assert.Equal(11.0 / 12.0, scores.Scores[0], 9);
        Assert.Equal(22.0 / 15.0, scores.Scores[1], 9);
        Assert.Equal(11.0 / 12.0, scores.Scores[2], 9);
    }

    [Fact]
    public void Gaussian_inliers_score_below_uniform_outliers_with_auroc_above_0_99()
    {
        // Two Gaussian clusters at ±(2, 2, 2, 2) with sigma 0.3; outliers uniform in [-4, 4]^4 (in 4-D the clusters fill
        // well under 1% of that box, so an outlier almost never lands inside one).
        var random = new Random(42);
        double[] plus = [2, 2, 2, 2];
        double[] minus = [-2, -2, -2, -2];
        ScoringTrainingSet training = ScoringData.Training(
            [.. ScoringData.Gaussian(random, 100, plus, 0.3), .. ScoringData.Gaussian(random, 100, minus, 0.3)]);
        float[][] inliers = [.. ScoringData.Gaussian(random, 50, plus, 0.3), .. ScoringData.Gaussian(random, 50, minus, 0.3)];
        float[][] outliers = ScoringData.Uniform(random, 100, 4, -4, 4);
        IFittedNoveltyScorer model = new LofScorer(s_raw).Fit(training);
        double[] scores = model.Score(ScoringData.Query(inliers, outliers)).Scores;
        double auroc = ScoringData.Auroc(scores[..100], scores[100..]);
        Assert.True(auroc > 0.99, $"AUROC {auroc}");
    }

    [Fact]
    public void The_outliers_of_toy_data_rank_last()
    {
        // A 5 × 5 grid of unit spacing plus two far points; scoring the training set itself, the two far points score highest.
        var rows = new List<float[]>();
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++)
            {
                rows.Add([i, j]);
            }
        }
        rows.Add([12, 12]);
        rows.Add([-9, 3]);
        var x = FeatureMatrix.FromRows(rows);
        IFittedNoveltyScorer model = new LofScorer(s_raw with { K = 5 }).Fit(new ScoringTrainingSet(x, new int[rows.Count]));
        double[] scores = model.Score(new ScoringQuery(x)).Scores;
        int[] order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        Assert.Equal(new[] { 25, 26 }, order[^2..].Order().ToArray());
        Assert.True(scores[25] > 2 && scores[26] > 2);
    }

    [Fact]
    public void Normalising_equals_scoring_pre_normalised_features_as_given()
    {
        FeatureMatrix x = ScoringData.Matrix("baseline_train.npy");
        FeatureMatrix q = ScoringData.Matrix("baseline_query.npy");
        int[] y = ScoringData.Labels("baseline_labels.npy");
        double[] normalised = new LofScorer().Fit(new ScoringTrainingSet(x, y)).Score(new ScoringQuery(q)).Scores;
        double[] given = new LofScorer(s_raw).Fit(new ScoringTrainingSet(x.L2Normalized(), y)).Score(new ScoringQuery(q.L2Normalized())).Scores;
        Assert.Equal(given, normalised);
    }

    [Fact]
    public void The_acquaintance_is_the_class_of_the_nearest_training_feature()
    {
        ScoringTrainingSet training = ScoringData.Training(
            [[0f, 0f], [0f, 1f], [1f, 0f]],
            [[10f, 10f], [10f, 11f], [11f, 10f]]);
        NoveltyScores scores = new LofScorer(s_raw with { K = 2 }).Fit(training)
            .Score(new ScoringQuery(FeatureMatrix.FromRows(new[] { new[] { 0.2f, 0.3f }, new[] { 9f, 9f } })));
        Assert.Equal(new[] { 0, 1 }, scores.Acquaintance);
    }
}
