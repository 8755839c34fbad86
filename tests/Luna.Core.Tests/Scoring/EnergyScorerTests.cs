using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class EnergyScorerTests
{
    [Fact]
    public void Energy_equals_minus_the_scipy_logsumexp()
    {
        NoveltyScores scores = BaselineFixture.Score(new EnergyScorer());
        ScoringData.AssertClose(BaselineFixture.Expected["energy"], scores.Scores, 1e-12);
        Assert.Equal(ScoringData.AsInts(BaselineFixture.Expected["top1"]), scores.Acquaintance);
    }

    [Fact]
    public void Energy_at_temperature_2_equals_minus_2_logsumexp_of_half_the_logits()
    {
        NoveltyScores scores = BaselineFixture.Score(new EnergyScorer(new NoveltyScorerOptions { Temperature = 2 }));
        ScoringData.AssertClose(BaselineFixture.Expected["energy_t2"], scores.Scores, 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_temperature_that_is_not_positive_is_an_error_quoting_it(double temperature)
    {
        var ex = Assert.Throws<LunaInputException>(() => BaselineFixture.Score(new EnergyScorer(new NoveltyScorerOptions { Temperature = temperature })));
        Assert.Contains($"value {temperature}", ex.Message);
        Assert.Contains("--temperature", ex.Message);
    }
}
