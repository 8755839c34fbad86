using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class MaxLogitScorerTests
{
    [Fact]
    public void Maxlogit_equals_minus_the_numpy_max_logit()
    {
        NoveltyScores scores = BaselineFixture.Score(new MaxLogitScorer());
        ScoringData.AssertClose(BaselineFixture.Expected["maxlogit"], scores.Scores, 1e-15);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["top1"]), scores.Acquaintance);
    }
}
