using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class NoveltyScorerRegistryTests
{
    [Fact]
    public void Every_score_of_the_spec_is_registered_by_name_in_a_fixed_order()
    {
        Assert.Equal(new[] { "msp", "maxlogit", "energy", "knn", "lof", "mahalanobis", "center", "luna" }, NoveltyScorerRegistry.Names);
    }

    [Fact]
    public void Each_registered_name_creates_a_score_of_that_name_with_the_registered_logit_needs()
    {
        foreach (NoveltyScorerInfo info in NoveltyScorerRegistry.Scorers)
        {
            INoveltyScorer scorer = NoveltyScorerRegistry.Create(info.Name);
            Assert.Equal(info.Name, scorer.Name);
            Assert.Equal(info.NeedsLogits, scorer.NeedsLogits);
            Assert.False(string.IsNullOrWhiteSpace(info.Description));
        }
        Assert.Equal("luna", NoveltyScorerRegistry.Create("LUNA").Name);
    }

    [Fact]
    public void Every_registered_score_runs_on_the_baseline_fixture_and_its_fitted_model_has_the_same_name()
    {
        foreach (string name in NoveltyScorerRegistry.Names)
        {
            IFittedNoveltyScorer model = NoveltyScorerRegistry.Create(name, new NoveltyScorerOptions { KnnK = 5 }).Fit(BaselineFixture.Training);
            Assert.Equal(name, model.Name);
            NoveltyScores scores = model.Score(BaselineFixture.Query);
            Assert.Equal(20, scores.Scores.Length);
            Assert.All(scores.Scores, s => Assert.True(double.IsFinite(s)));
            Assert.NotNull(scores.Acquaintance);
            Assert.All(scores.Acquaintance, a => Assert.InRange(a, 0, 3));
        }
    }

    [Fact]
    public void An_unknown_name_is_an_error_quoting_it_and_listing_the_valid_names()
    {
        var ex = Assert.Throws<LunaInputException>(() => NoveltyScorerRegistry.Create("odin"));
        Assert.Equal("score: value 'odin' is not a known novelty score; valid names: msp, maxlogit, energy, knn, lof, mahalanobis, center, luna", ex.Message);
        var described = Assert.Throws<LunaInputException>(() => NoveltyScorerRegistry.Describe("", "--scores"));
        Assert.StartsWith("--scores: value '' is not a known novelty score", described.Message);
        Assert.False(NoveltyScorerRegistry.Contains("odin"));
        Assert.True(NoveltyScorerRegistry.Contains("knn"));
    }

    [Fact]
    public void The_option_defaults_are_the_documented_ones()
    {
        var options = new NoveltyScorerOptions();
        Assert.Equal(10, options.K);
        Assert.True(options.Normalize);
        Assert.Equal(CandidateRule.Neighbours, options.Candidates);
        Assert.Equal(50, options.KnnK);
        Assert.Equal(1.0, options.Temperature);
        Assert.False(options.AllowSingletonClasses);
    }
}
