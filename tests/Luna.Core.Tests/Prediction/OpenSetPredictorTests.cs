using Luna.Core.Evaluation;
using Luna.Core.Prediction;
using Luna.Core.Tests.Evaluation;

namespace Luna.Core.Tests.Prediction;

public class OpenSetPredictorTests
{
    private static readonly EvaluationData s_data = SyntheticOpenSet.Create();
    private static readonly ScoreEvaluation s_luna = OpenSetEvaluation.Evaluate(s_data, new EvaluationOptions { Scores = ["luna"] }).Find("luna")!;

    [Fact]
    public void Fit_chooses_the_threshold_and_predictor_exactly_as_the_evaluation_does_for_luna()
    {
        OpenSetPredictor predictor = OpenSetPredictor.Fit(s_data.Train, s_data.Validation, s_data.ClassNames);
        Assert.Equal(s_luna.Predictor, predictor.Rule.Predictor);
        Assert.Equal("acquaintance", predictor.Rule.Predictor);
        Assert.Equal(s_luna.Metrics.Thresholds!.Global, predictor.Rule.Threshold);
        Assert.Equal(s_luna.ValidationScores, predictor.Rule.ValidationFactors);
        Assert.Equal(s_luna.ValidationBalancedAccuracyTop1, predictor.Rule.ValidationBalancedAccuracyTop1);
        Assert.Equal(s_luna.ValidationBalancedAccuracyAcquaintance, predictor.Rule.ValidationBalancedAccuracyAcquaintance);
    }

    [Fact]
    public void Predictions_carry_the_evaluated_factors_acquaintances_and_decisions()
    {
        OpenSetPredictor predictor = OpenSetPredictor.Fit(s_data.Train, s_data.Validation, s_data.ClassNames);
        OpenSetPrediction[] p = predictor.Predict(s_data.Test.Features, s_data.Test.Logits);
        Assert.Equal(s_luna.TestScores, p.Select(x => x.Factor));
        Assert.Equal(s_luna.TestAcquaintance!, p.Select(x => x.Acquaintance));
        Assert.Equal(p.Select(x => x.Acquaintance), p.Select(x => x.Class));
        Assert.All(p, x => Assert.Equal(x.Factor > predictor.Rule.Threshold, x.Unknown));
        Assert.All(p, x => Assert.Equal(s_data.ClassNames[x.Class], x.ClassName));
        // The evaluation's rejection rate of known test images equals the predictor's.
        int knownRejected = p.Where((x, i) => s_data.Test.Labels[i] >= 0 && x.Unknown).Count();
        int unknownRejected = p.Where((x, i) => s_data.Test.Labels[i] < 0 && x.Unknown).Count();
        Assert.Equal(s_luna.Metrics.OpenSet!.Rejection.KnownRejected, knownRejected);
        Assert.Equal(s_luna.Metrics.OpenSet!.Rejection.UnknownRejected, unknownRejected);
    }

    [Fact]
    public void The_probability_is_the_softmax_of_the_predicted_class_and_the_percentile_is_among_validation_factors()
    {
        OpenSetPredictor predictor = OpenSetPredictor.Fit(s_data.Train, s_data.Validation, s_data.ClassNames);
        OpenSetPrediction[] p = predictor.Predict(s_data.Test.Features, s_data.Test.Logits);
        for (int i = 0; i < p.Length; i += 17)
        {
            float[] z = s_data.Test.Logits!.Row(i).ToArray();
            double sum = z.Sum(v => Math.Exp(v));
            Assert.Equal(Math.Exp(z[p[i].Class]) / sum, p[i].Probability!.Value, 9);
            double below = predictor.Rule.ValidationFactors.Count(v => v <= p[i].Factor);
            Assert.Equal(100.0 * below / predictor.Rule.ValidationFactors.Length, p[i].Percentile, 12);
        }
    }

    [Fact]
    public void A_restored_predictor_gives_the_same_answers()
    {
        OpenSetPredictor fitted = OpenSetPredictor.Fit(s_data.Train, s_data.Validation, s_data.ClassNames, k: 7, acceptFraction: 0.9);
        var rule = OpenSetDecisionRule.FromJson(fitted.Rule.ToJson(), "test");
        Assert.Equal(7, rule.K);
        Assert.Equal(0.9, rule.AcceptFraction);
        OpenSetPredictor restored = OpenSetPredictor.Restore(s_data.Train, s_data.ClassNames, rule);
        Assert.Equal(fitted.Predict(s_data.Test.Features, s_data.Test.Logits), restored.Predict(s_data.Test.Features, s_data.Test.Logits));
    }

    [Fact]
    public void A_warning_about_a_class_names_it_as_well_as_numbering_it()
    {
        // Every training row except all but the first of class 1: class 1 is left with one image.
        int[] labels = s_data.Train.Labels;
        int first = Array.IndexOf(labels, 1);
        int[] rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] != 1 || i == first).ToArray();
        var train = new FeatureSplit(s_data.Train.Features.SelectRows(rows), s_data.Train.Logits!.SelectRows(rows), rows.Select(i => labels[i]).ToArray());
        OpenSetPredictor fitted = OpenSetPredictor.Fit(s_data.Train, s_data.Validation, s_data.ClassNames);

        OpenSetPredictor restored = OpenSetPredictor.Restore(train, s_data.ClassNames, fitted.Rule);

        Assert.Contains($"class 1 '{s_data.ClassNames[1]}' with a single training sample is left out of the candidates (no local density)", restored.Warnings);
    }

    [Fact]
    public void A_malformed_rule_is_bad_input()
    {
        var e = Assert.Throws<LunaInputException>(() => OpenSetDecisionRule.FromJson(System.Text.Json.Nodes.JsonNode.Parse("{\"k\": 0}"), "m.luna"));
        Assert.StartsWith("m.luna: decision rule is incomplete", e.Message);
    }

    [Theory]
    [InlineData(1.1, 30.0, "familiar")]
    [InlineData(1.4, 50.0, "familiar")]
    [InlineData(1.5, 80.0, "familiar, less typical of Coat")]
    [InlineData(2.0, 95.0, "familiar, less typical of Coat")]
    [InlineData(2.1, 97.5, "unfamiliar, near Coat")]
    [InlineData(3.0, 100.0, "unfamiliar, near Coat")]
    [InlineData(3.01, 100.0, "very unfamiliar, nearest known class Coat")]
    public void The_reading_follows_the_documented_bands(double factor, double percentile, string expected)
        => Assert.Equal(expected, UnfamiliarityReading.Describe(factor, percentile, threshold: 2.0, maxValidationFactor: 3.0, "Coat"));
}
