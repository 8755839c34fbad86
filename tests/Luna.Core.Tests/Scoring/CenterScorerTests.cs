using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class CenterScorerTests
{
    [Fact]
    public void Center_equals_the_scipy_distance_to_the_nearest_class_mean_on_raw_features()
    {
        NoveltyScores scores = BaselineFixture.Score(new CenterScorer(new NoveltyScorerOptions { Normalize = false }));
        ScoringData.AssertClose(BaselineFixture.Expected["center_raw"], scores.Scores, 1e-12);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["center_raw_acquaintance"]), scores.Acquaintance);
    }

    [Fact]
    public void Center_equals_the_scipy_distance_to_the_nearest_mean_of_normalised_features()
    {
        NoveltyScores scores = BaselineFixture.Score(new CenterScorer());
        ScoringData.AssertClose(BaselineFixture.Expected["center"], scores.Scores, 1e-5);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["center_acquaintance"]), scores.Acquaintance);
    }
}
