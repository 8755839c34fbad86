using Luna.Core.Evaluation;
using Luna.Core.Metrics;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Evaluation;

public class OpenSetEvaluationTests
{
    private static readonly EvaluationData s_data = SyntheticOpenSet.Create();
    private static readonly EvaluationResult s_result = OpenSetEvaluation.Evaluate(s_data);

    [Fact]
    public void Every_registered_score_is_evaluated_in_registry_order()
    {
        Assert.Equal(NoveltyScorerRegistry.Names, s_result.Scores.Select(s => s.Score));
    }

    [Fact]
    public void The_threshold_of_each_score_is_the_one_accepting_95_percent_of_its_validation_scores()
    {
        foreach (ScoreEvaluation score in s_result.Scores)
        {
            double expected = Thresholds.FromValidation(score.ValidationScores).Global;
            Assert.Equal(expected, score.Metrics.Thresholds!.Global);
            int accepted = score.ValidationScores.Count(v => v <= expected);
            Assert.Equal(Thresholds.AcceptedCount(score.ValidationScores.Length, 0.95), accepted);
        }
    }

    [Fact]
    public void A_classifier_that_never_predicts_a_class_loses_the_predictor_choice_to_the_acquaintance()
    {
        // top-1 never predicts class 2: its validation balanced accuracy is at most (1 + 1 + 0) / 3.
        ScoreEvaluation luna = s_result.Find("luna")!;
        Assert.True(luna.ValidationBalancedAccuracyTop1 <= 2.0 / 3.0 + 1e-12);
        Assert.True(luna.ValidationBalancedAccuracyAcquaintance > luna.ValidationBalancedAccuracyTop1);
        Assert.Equal("acquaintance", luna.Predictor);
        Assert.Equal(luna.AcquaintanceClosedSet!.Accuracy, luna.Metrics.ClosedSet!.Accuracy);
        Assert.Equal(0.0, s_result.ClosedSetTop1!.PerClass[SyntheticOpenSet.BlindClass].Accuracy);
    }

    [Fact]
    public void Logit_scores_have_only_the_top1_predictor()
    {
        ScoreEvaluation msp = s_result.Find("msp")!;
        Assert.Equal("top1", msp.Predictor);
        Assert.Equal(s_result.ClosedSetTop1!.Accuracy, msp.Metrics.ClosedSet!.Accuracy);
    }

    [Fact]
    public void Oltr_rule_never_rejects_with_fewer_than_ten_classes()
    {
        // With K = 3 the max softmax probability is at least 1/3 > 0.1 (docs/method.md).
        RejectionCounts rejection = s_result.OltrRule!.Metrics.OpenSet!.Rejection;
        Assert.Equal(0, rejection.KnownRejected + rejection.UnknownRejected);
    }

    [Fact]
    public void Luna_separates_the_synthetic_unknowns_and_reports_all_three_candidate_rules()
    {
        Assert.True(s_result.Find("luna")!.Metrics.Detection.Overall.Auroc > 0.9);
        Assert.Equal(["neighbours", "top1", "all"], s_result.LunaRules!.Select(r => r.Rule));
        Assert.True(s_result.LunaRules![0].Detection.Groups!.ContainsKey("far"));
    }

    [Fact]
    public void The_evaluation_of_luna_equals_scoring_it_directly()
    {
        var training = new ScoringTrainingSet(s_data.Train.Features, s_data.Train.Labels, s_data.Train.Logits);
        NoveltyScores direct = new LunaScorer().Fit(training).Score(new ScoringQuery(s_data.Test.Features, s_data.Test.Logits));
        Assert.Equal(direct.Scores, s_result.Find("luna")!.TestScores);
        Assert.Equal(direct.Acquaintance, s_result.Find("luna")!.TestAcquaintance);
    }

    [Fact]
    public void Without_logits_the_logit_scores_are_skipped_with_a_note()
    {
        EvaluationResult result = OpenSetEvaluation.Evaluate(SyntheticOpenSet.Create(withLogits: false));
        Assert.Null(result.Find("msp"));
        Assert.Null(result.ClosedSetTop1);
        Assert.Null(result.OltrRule);
        Assert.Contains(result.Notes, n => n.Contains("msp skipped", StringComparison.Ordinal));
        Assert.Equal("acquaintance", result.Find("luna")!.Predictor);
        Assert.DoesNotContain(result.LunaRules!, r => r.Rule == "top1");
    }

    [Fact]
    public void Per_class_thresholds_are_chosen_by_the_validation_acquaintance()
    {
        EvaluationResult result = OpenSetEvaluation.Evaluate(s_data, new EvaluationOptions { Scores = ["luna"], PerClassThresholds = true });
        ScoreEvaluation luna = result.Find("luna")!;
        Assert.True(luna.Metrics.Thresholds!.IsPerClass);
    }

    [Fact]
    public void An_unknown_label_in_the_validation_split_is_an_error_naming_the_split()
    {
        EvaluationData bad = s_data with { Validation = s_data.Validation with { Labels = s_data.Validation.Labels.Select((l, i) => i == 3 ? -1 : l).ToArray() } };
        var ex = Assert.Throws<LunaInputException>(() => OpenSetEvaluation.Evaluate(bad));
        Assert.Equal("validation labels: value -1 at index 3 is outside 0..2", ex.Message);
    }

    [Fact]
    public void A_dimension_mismatch_between_splits_is_an_error()
    {
        EvaluationData bad = s_data with { Test = s_data.Test with { Features = new Luna.Core.Data.FeatureMatrix(s_data.Test.Features.Rows, 5) } };
        var ex = Assert.Throws<LunaInputException>(() => OpenSetEvaluation.Evaluate(bad));
        Assert.Contains("test features: dimension 5", ex.Message);
    }
}
