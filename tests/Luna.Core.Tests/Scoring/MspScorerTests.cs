using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class MspScorerTests
{
    [Fact]
    public void Msp_equals_one_minus_the_scipy_max_softmax_even_for_a_confident_row()
    {
        NoveltyScores scores = BaselineFixture.Score(new MspScorer());
        ScoringData.AssertClose(BaselineFixture.Expected["msp"], scores.Scores, 1e-12);
        Assert.InRange(scores.Scores[0], 9e-13, 1e-12);
    }

    [Fact]
    public void The_acquaintance_is_the_top1_class_with_ties_to_the_lower_class()
    {
        NoveltyScores scores = BaselineFixture.Score(new MspScorer());
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["top1"]), scores.Acquaintance);
        Assert.Equal(0, scores.Acquaintance![1]);
    }

    [Fact]
    public void Msp_without_logits_is_an_error_naming_the_method()
    {
        ScoringTrainingSet training = BaselineFixture.Training with { Logits = null };
        var ex = Assert.Throws<LunaInputException>(() => new MspScorer().Fit(training));
        Assert.Contains("method 'msp' needs the classifier's logits", ex.Message);
    }
}
