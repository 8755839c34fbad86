using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

/// <summary>The baseline fixture (make_baseline_fixtures.py): training set with logits, queries with logits, expected columns.</summary>
internal static class BaselineFixture
{
    public static ScoringTrainingSet Training => new(
        ScoringData.Matrix("baseline_train.npy"),
        ScoringData.Labels("baseline_labels.npy"),
        ScoringData.Matrix("baseline_train_logits.npy"));

    public static ScoringQuery Query => new(ScoringData.Matrix("baseline_query.npy"), ScoringData.Matrix("baseline_query_logits.npy"));

    public static Dictionary<string, double[]> Expected => ScoringData.Expected("baseline_expected.csv");

    public static NoveltyScores Score(INoveltyScorer scorer) => scorer.Fit(Training).Score(Query);
}
