using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class MahalanobisScorerTests
{
    [Fact]
    public void Mahalanobis_equals_the_scipy_cholesky_solution_with_the_pooled_covariance()
    {
        IFittedNoveltyScorer model = new MahalanobisScorer().Fit(BaselineFixture.Training);
        NoveltyScores scores = model.Score(BaselineFixture.Query);
        ScoringData.AssertClose(BaselineFixture.Expected["mahalanobis"], scores.Scores, 1e-9);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["mahalanobis_acquaintance"]), scores.Acquaintance);
        Assert.Empty(model.Warnings);
    }

    [Fact]
    public void Mahalanobis_uses_raw_features_whatever_the_normalise_setting()
    {
        double[] normalised = BaselineFixture.Score(new MahalanobisScorer(new NoveltyScorerOptions { Normalize = true })).Scores;
        double[] raw = BaselineFixture.Score(new MahalanobisScorer(new NoveltyScorerOptions { Normalize = false })).Scores;
        Assert.Equal(raw, normalised);
    }

    [Fact]
    public void A_singular_covariance_is_regularised_by_the_documented_ridge_with_a_warning()
    {
        var training = new ScoringTrainingSet(ScoringData.Matrix("singular_train.npy"), ScoringData.Labels("singular_labels.npy"));
        IFittedNoveltyScorer model = new MahalanobisScorer().Fit(training);
        NoveltyScores scores = model.Score(new ScoringQuery(ScoringData.Matrix("singular_query.npy")));
        Dictionary<string, double[]> expected = ScoringData.Expected("singular_expected.csv");
        ScoringData.AssertClose(expected["mahalanobis"], scores.Scores, 1e-6);
        Assert.Equal(ScoringData.AsInts(expected["mahalanobis_acquaintance"]), scores.Acquaintance);
        Assert.Contains("(1e-6 × trace(Σ)/d)", Assert.Single(model.Warnings));
    }

    [Fact]
    public void Cholesky_of_a_known_matrix_matches_the_factor_worked_by_hand()
    {
        // [[4, 2], [2, 5]] = L Lᵀ with L = [[2, 0], [1, 2]].
        double[]? l = MahalanobisScorer.Cholesky([4, 2, 2, 5], 2, 0, 1e-12);
        Assert.Equal(new double[] { 2, 0, 1, 2 }, l);
        Assert.Null(MahalanobisScorer.Cholesky([1, 1, 1, 1], 2, 0, 1e-12));
    }

    [Fact]
    public void Mahalanobis_with_an_identity_covariance_is_the_euclidean_distance()
    {
        // Class 0 at ±1 on each axis around (0, 0), class 1 the same around (10, 0): pooled covariance = I/2 ... scaled:
        // Σ = 1/8 · sum of (±1, 0), (0, ±1) outer products per class = diag(0.5, 0.5), so the distance is √2 · Euclidean.
        var x = FeatureMatrix.FromRows(new[]
        {
            new[] { 1f, 0f }, new[] { -1f, 0f }, new[] { 0f, 1f }, new[] { 0f, -1f },
            new[] { 11f, 0f }, new[] { 9f, 0f }, new[] { 10f, 1f }, new[] { 10f, -1f },
        });
        IFittedNoveltyScorer model = new MahalanobisScorer().Fit(new ScoringTrainingSet(x, [0, 0, 0, 0, 1, 1, 1, 1]));
        NoveltyScores scores = model.Score(new ScoringQuery(FeatureMatrix.FromRows(new[] { new[] { 3f, 4f }, new[] { 7f, 0f } })));
        Assert.Equal(5 * Math.Sqrt(2), scores.Scores[0], 12);
        Assert.Equal(3 * Math.Sqrt(2), scores.Scores[1], 12);
        Assert.Equal(new[] { 0, 1 }, scores.Acquaintance);
    }
}
