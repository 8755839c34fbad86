using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class KnnScorerTests
{
    [Fact]
    public void Knn_equals_the_scipy_kth_neighbour_distance_on_raw_features()
    {
        NoveltyScores scores = BaselineFixture.Score(new KnnScorer(new NoveltyScorerOptions { KnnK = 5, Normalize = false }));
        ScoringData.AssertClose(BaselineFixture.Expected["knn5_raw"], scores.Scores, 1e-12);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["knn5_raw_acquaintance"]), scores.Acquaintance);
    }

    [Fact]
    public void Knn_equals_the_scipy_kth_neighbour_distance_on_normalised_features()
    {
        // Luna normalises in float32, the fixture in float64: agreement to float32 precision.
        NoveltyScores scores = BaselineFixture.Score(new KnnScorer(new NoveltyScorerOptions { KnnK = 5 }));
        ScoringData.AssertClose(BaselineFixture.Expected["knn5"], scores.Scores, 1e-5);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["knn5_acquaintance"]), scores.Acquaintance);
    }

    [Fact]
    public void K_larger_than_the_training_set_is_clamped_to_it_with_a_warning()
    {
        Assert.Equal(50, NoveltyScorerOptions.Defaults.KnnK);
        IFittedNoveltyScorer model = new KnnScorer(new NoveltyScorerOptions { KnnK = 60, Normalize = false }).Fit(BaselineFixture.Training);
        Assert.Equal("k = 60 is larger than the 50 training samples; using k = 50", Assert.Single(model.Warnings));
        NoveltyScores scores = model.Score(BaselineFixture.Query);
        IFittedNoveltyScorer exact = new KnnScorer(new NoveltyScorerOptions { KnnK = 50, Normalize = false }).Fit(BaselineFixture.Training);
        Assert.Empty(exact.Warnings);
        Assert.Equal(exact.Score(BaselineFixture.Query).Scores, scores.Scores);
    }
}
