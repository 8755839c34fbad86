using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

public class LunaScorerTests
{
    private static readonly NoveltyScorerOptions s_raw = new() { Normalize = false };

    [Theory]
    [InlineData("lof_random", 10)]
    [InlineData("lof_duplicates", 5)]
    [InlineData("lof_k_larger", 20)]
    public void Luna_with_a_single_class_and_no_logits_equals_scikit_learn_lof(string name, int k)
    {
        var training = new ScoringTrainingSet(ScoringData.Matrix($"{name}_train.npy"), ScoringData.Labels($"{name}_labels.npy"));
        LunaModel model = new LunaScorer(s_raw with { K = k }).FitModel(training);
        NoveltyScores scores = model.Score(new ScoringQuery(ScoringData.Matrix($"{name}_query.npy")));
        ScoringData.AssertClose(ScoringData.Expected($"{name}_expected.csv")["score"], scores.Scores, 1e-6);
        Assert.All(scores.Acquaintance!, a => Assert.Equal(0, a));
    }

    [Fact]
    public void Luna_equals_the_independent_python_computation_under_all_three_candidate_rules()
    {
        var training = new ScoringTrainingSet(ScoringData.Matrix("luna_multiclass_train.npy"), ScoringData.Labels("luna_multiclass_labels.npy"));
        var query = new ScoringQuery(ScoringData.Matrix("luna_multiclass_query.npy"), ScoringData.Matrix("luna_multiclass_query_logits.npy"));
        Dictionary<string, double[]> expected = ScoringData.Expected("luna_multiclass_expected.csv");
        LunaModel model = new LunaScorer(s_raw).FitModel(training);
        Assert.Equal(new[] { 10, 10, 5 }, model.EffectiveK);

        LunaAllRules all = model.ScoreAllRules(query);
        foreach ((string column, LunaRuleScores? rule) in new[] { ("neighbours", all.Neighbours), ("top1", all.Top1), ("all", all.All) })
        {
            Assert.NotNull(rule);
            ScoringData.AssertClose(expected[column], rule.Factors, 1e-6);
            Assert.Equal(ScoringData.AsInts(expected[$"{column}_acquaintance"]), rule.Acquaintance);
            Assert.DoesNotContain(true, rule.FellBack);
        }

        // One rule at a time gives the same numbers as the one-pass computation, and Score follows Options.Candidates.
        foreach (CandidateRule rule in Enum.GetValues<CandidateRule>())
        {
            LunaRuleScores single = model.ScoreRule(query, rule);
            Assert.Equal(all[rule]!.Factors, single.Factors);
            Assert.Equal(all[rule]!.Acquaintance, single.Acquaintance);
            NoveltyScores viaOptions = new LunaScorer(s_raw with { Candidates = rule }).Fit(training).Score(query);
            Assert.Equal(single.Factors, viaOptions.Scores);
        }
    }

    [Fact]
    public void Luna_with_the_gemm_engine_gives_the_same_factors_as_the_direct_engine_under_all_rules()
    {
        var training = new ScoringTrainingSet(ScoringData.Matrix("luna_multiclass_train.npy"), ScoringData.Labels("luna_multiclass_labels.npy"));
        var query = new ScoringQuery(ScoringData.Matrix("luna_multiclass_query.npy"), ScoringData.Matrix("luna_multiclass_query_logits.npy"));
        LunaAllRules direct = new LunaScorer(s_raw).FitModel(training).ScoreAllRules(query);
        LunaAllRules gemm = new LunaScorer(s_raw with { NeighborIndex = GemmIndexFactory.Instance }).FitModel(training).ScoreAllRules(query);
        foreach (CandidateRule rule in Enum.GetValues<CandidateRule>())
        {
            Assert.Equal(direct[rule]!.Factors, gemm[rule]!.Factors);
            Assert.Equal(direct[rule]!.Acquaintance, gemm[rule]!.Acquaintance);
        }
    }

    [Fact]
    public void Luna_is_about_1_inside_a_cluster_of_any_density()
    {
        var random = new Random(1);
        double[] sigmas = [0.01, 0.1, 1.0];
        var train = new float[3][][];
        var fresh = new float[3][][];
        for (int c = 0; c < 3; c++)
        {
            double[] center = ScoringData.At(8, c, 50);
            train[c] = ScoringData.Gaussian(random, 200, center, sigmas[c]);
            fresh[c] = ScoringData.Gaussian(random, 100, center, sigmas[c]);
        }
        LunaModel model = new LunaScorer(s_raw).FitModel(ScoringData.Training(train));
        NoveltyScores scores = model.Score(ScoringData.Query(fresh));
        for (int c = 0; c < 3; c++)
        {
            double[] factors = scores.Scores[(c * 100)..((c + 1) * 100)];
            double median = ScoringData.Median(factors);
            Assert.True(median is > 0.9 and < 1.15, $"class {c} (sigma {sigmas[c]}): median factor {median}");
            Assert.True(factors.Count(f => f < 1.5) >= 90, $"class {c}: only {factors.Count(f => f < 1.5)} of 100 below 1.5");
            Assert.All(scores.Acquaintance![(c * 100)..((c + 1) * 100)], a => Assert.Equal(c, a));
        }
    }

    [Fact]
    public void A_sparse_tail_cluster_is_not_flagged_where_lof_over_all_classes_flags_it()
    {
        // A dense head class of 300 and a sparse tail class of 6 (fewer than k = 10): LOF over all classes must take head
        // points into every tail neighbourhood and sees the tail as outlying; LUNA measures the tail in its own units (k_c = 5).
        var random = new Random(2);
        double[] head = [0, 0, 0, 0];
        double[] tail = [3, 0, 0, 0];
        ScoringTrainingSet training = ScoringData.Training(ScoringData.Gaussian(random, 300, head, 0.05), ScoringData.Gaussian(random, 6, tail, 0.5));
        ScoringQuery validation = ScoringData.Query(ScoringData.Gaussian(random, 200, head, 0.05));
        ScoringQuery tailQueries = ScoringData.Query(ScoringData.Gaussian(random, 100, tail, 0.5));
        LunaModel model = new LunaScorer(s_raw).FitModel(training);
        Assert.Equal(5, model.EffectiveK[1]);

        // Threshold of each rule: accept 95% of the known (head) validation samples, as the documented decision rule does.
        double Threshold(double[] factors) => factors.Order().ElementAt((int)Math.Ceiling(0.95 * factors.Length) - 1);
        LunaAllRules onValidation = model.ScoreAllRules(validation);
        LunaAllRules onTail = model.ScoreAllRules(tailQueries);
        double lunaTau = Threshold(onValidation.Neighbours.Factors);
        double lofTau = Threshold(onValidation.All.Factors);
        int lunaFlagged = onTail.Neighbours.Factors.Count(f => f > lunaTau);
        int lofFlagged = onTail.All.Factors.Count(f => f > lofTau);
        Assert.True(lofFlagged >= 90, $"LOF over all classes flagged {lofFlagged} of 100 tail samples (tau {lofTau})");
        Assert.True(lunaFlagged <= 10, $"LUNA flagged {lunaFlagged} of 100 tail samples (tau {lunaTau})");
        Assert.True(onTail.Neighbours.Acquaintance.Count(a => a == 1) >= 95);
    }

    [Fact]
    public void The_acquaintance_of_a_point_beside_a_cluster_is_that_cluster()
    {
        var random = new Random(3);
        double[][] centers = [[0, 0, 0], [6, 0, 0], [0, 6, 0]];
        double[] sigmas = [0.1, 1.0, 0.4];
        ScoringTrainingSet training = ScoringData.Training(
            ScoringData.Gaussian(random, 150, centers[0], sigmas[0]),
            ScoringData.Gaussian(random, 150, centers[1], sigmas[1]),
            ScoringData.Gaussian(random, 150, centers[2], sigmas[2]));
        // Beside each cluster, 4 of its own standard deviations from its centre, on the side away from the others.
        float[][] beside =
        [
            [-0.4f, -0.4f, 0],
            [10f, -1f, 0],
            [0, 7.6f, 0],
            [0, 0, 0.4f * 1.5f],
        ];
        NoveltyScores scores = new LunaScorer(s_raw).Fit(training).Score(ScoringData.Query(beside));
        Assert.Equal(new[] { 0, 1, 2, 0 }, scores.Acquaintance);
        Assert.All(scores.Scores, f => Assert.True(f > 1.2, $"factor {f} of a point outside its cluster"));
    }

    [Fact]
    public void The_factor_grows_as_a_point_moves_away_from_its_cluster()
    {
        var random = new Random(4);
        ScoringTrainingSet training = ScoringData.Training(
            ScoringData.Gaussian(random, 200, [0, 0], 0.2),
            ScoringData.Gaussian(random, 200, [0, 50], 2.0));
        float[][] ray = [.. new[] { 0.6f, 1f, 2f, 4f, 8f }.Select(x => new[] { x, 0f })];
        NoveltyScores scores = new LunaScorer(s_raw).Fit(training).Score(ScoringData.Query(ray));
        for (int i = 1; i < ray.Length; i++)
        {
            Assert.True(scores.Scores[i] > scores.Scores[i - 1], $"factor at x = {ray[i][0]}: {scores.Scores[i]} not above {scores.Scores[i - 1]}");
        }
        Assert.All(scores.Acquaintance!, a => Assert.Equal(0, a));
    }

    [Fact]
    public void The_top1_class_joins_the_candidates_when_logits_are_given()
    {
        // The query sits in class 0's cluster, so its nearest neighbours are all class 0; the logits say class 1.
        var random = new Random(5);
        ScoringTrainingSet training = ScoringData.Training(
            ScoringData.Gaussian(random, 30, [0, 0], 0.5),
            ScoringData.Gaussian(random, 30, [5, 0], 0.5));
        var features = FeatureMatrix.FromRows(new[] { new[] { 0.1f, 0f } });
        var logits = FeatureMatrix.FromRows(new[] { new[] { 0f, 3f } });
        LunaModel model = new LunaScorer(s_raw).FitModel(training);
        LunaAllRules rules = model.ScoreAllRules(new ScoringQuery(features, logits));
        Assert.Equal(0, rules.Neighbours.Acquaintance[0]);
        Assert.Equal(1, rules.Top1!.Acquaintance[0]);
        Assert.True(rules.Top1.Factors[0] > rules.Neighbours.Factors[0]);
        Assert.Null(model.ScoreAllRules(new ScoringQuery(features)).Top1);
    }

    [Fact]
    public void A_class_with_one_sample_is_an_error_naming_it_unless_allowed()
    {
        ScoringTrainingSet training = ScoringData.Training(
            [[0f, 0f], [0f, 1f], [1f, 0f]],
            [[10f, 10f]],
            [[20f, 0f], [21f, 0f]]) with { LabelsSource = "y.npy" };
        var ex = Assert.Throws<LunaInputException>(() => new LunaScorer(s_raw).Fit(training));
        Assert.Equal("y.npy: class 1 has 1 training sample; LUNA needs at least 2 per class for a local density (allow singleton classes, --allow-singleton-classes, to leave them out of the candidates)", ex.Message);

        LunaModel model = new LunaScorer(s_raw with { AllowSingletonClasses = true }).FitModel(training);
        Assert.Equal(new[] { 1 }, model.ExcludedClasses);
        Assert.Equal(new[] { 3, 1, 2 }, model.ClassCounts);
        Assert.Equal(new[] { 2, 0, 1 }, model.EffectiveK);
        Assert.Contains(model.Warnings, w => w.Contains("class 1 with a single training sample is left out"));
        NoveltyScores scores = model.Score(new ScoringQuery(FeatureMatrix.FromRows(new[] { new[] { 9f, 9f } })));
        Assert.NotEqual(1, scores.Acquaintance![0]);
    }

    [Fact]
    public void A_query_whose_candidates_are_all_left_out_is_judged_against_its_nearest_eligible_class()
    {
        // k = 1: the only neighbour of a query on the singleton of class 1 is that singleton, so no candidate is eligible.
        ScoringTrainingSet training = ScoringData.Training(
            [[0f, 0f], [0f, 1f], [1f, 0f]],
            [[10f, 10f]],
            [[20f, 0f], [21f, 0f]]);
        LunaModel model = new LunaScorer(s_raw with { K = 1, AllowSingletonClasses = true }).FitModel(training);
        var query = new ScoringQuery(FeatureMatrix.FromRows(new[] { new[] { 10f, 10f }, new[] { 0.2f, 0.2f } }));
        LunaRuleScores scores = model.ScoreRule(query, CandidateRule.Neighbours);
        // The nearest eligible class of (10, 10) is class 0 (its nearest member (1, 0) is at 13.45; class 2's (20, 0) at 14.14).
        Assert.Equal(new[] { 0, 0 }, scores.Acquaintance);
        Assert.Equal(new[] { true, false }, scores.FellBack);
        Assert.Contains("1 of 2 queries", Assert.Single(scores.Warnings));
        Assert.Single(model.Score(query).Warnings);
    }

    [Fact]
    public void The_top1_rule_without_query_logits_is_an_error()
    {
        ScoringTrainingSet training = ScoringData.Training([[0f, 0f], [0f, 1f]], [[5f, 5f], [5f, 6f]]);
        LunaModel model = new LunaScorer(s_raw).FitModel(training);
        var ex = Assert.Throws<LunaInputException>(() => model.ScoreRule(new ScoringQuery(FeatureMatrix.FromRows(new[] { new[] { 0f, 0f } })), CandidateRule.Top1));
        Assert.Contains("top1", ex.Message);
        Assert.Contains("--query-logits", ex.Message);
    }

    [Fact]
    public void K_larger_than_the_training_set_is_clamped_with_a_warning()
    {
        ScoringTrainingSet training = ScoringData.Training([[0f, 0f], [0f, 1f], [1f, 1f]], [[5f, 5f], [5f, 6f]]);
        LunaModel model = new LunaScorer(s_raw with { K = 10 }).FitModel(training);
        Assert.Equal(4, model.GlobalK);
        Assert.Equal(new[] { 2, 1 }, model.EffectiveK);
        Assert.Contains(model.Warnings, w => w.Contains("k = 10") && w.Contains("uses k = 4"));
    }

    [Fact]
    public void Normalising_equals_scoring_pre_normalised_features_as_given()
    {
        FeatureMatrix x = ScoringData.Matrix("baseline_train.npy");
        FeatureMatrix q = ScoringData.Matrix("baseline_query.npy");
        int[] y = ScoringData.Labels("baseline_labels.npy");
        NoveltyScores normalised = new LunaScorer().Fit(new ScoringTrainingSet(x, y)).Score(new ScoringQuery(q));
        NoveltyScores given = new LunaScorer(s_raw).Fit(new ScoringTrainingSet(x.L2Normalized(), y)).Score(new ScoringQuery(q.L2Normalized()));
        Assert.Equal(given.Scores, normalised.Scores);
        Assert.Equal(given.Acquaintance, normalised.Acquaintance);
    }
}
