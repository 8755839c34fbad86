namespace Luna.Core.Scoring;

/// <summary>A score of one row of logits (length K).</summary>
internal delegate double LogitScore(ReadOnlySpan<float> logits);

/// <summary>
/// The fitted form of the scores that read only the classifier's logits (<c>msp</c>, <c>maxlogit</c>, <c>energy</c>):
/// fitting checks the training set and remembers its shape; scoring applies the function row by row. The acquaintance
/// is the top-1 class (ties: lower class).
/// </summary>
internal sealed class LogitScoreModel : IFittedNoveltyScorer
{
    private readonly TrainingShape _shape;
    private readonly LogitScore _score;

    public LogitScoreModel(string name, TrainingShape shape, LogitScore score)
    {
        Name = name;
        _shape = shape;
        _score = score;
    }

    public string Name { get; }

    public IReadOnlyList<string> Warnings => Array.Empty<string>();

    public static IFittedNoveltyScorer Fit(string name, NoveltyScorerOptions options, ScoringTrainingSet training, LogitScore score)
    {
        ScoringValidation.Options(options);
        TrainingShape shape = ScoringValidation.Training(training, name, needsLogits: true, minRows: 1);
        return new LogitScoreModel(name, shape, score);
    }

    public NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default)
    {
        ScoringValidation.Query(query, _shape, Name, needsLogits: true);
        Data.FeatureMatrix logits = query.Logits!;
        int m = logits.Rows;
        var scores = new double[m];
        var top = new int[m];
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<float> row = logits.Row(i);
            scores[i] = _score(row);
            top[i] = LogitMath.Argmax(row);
        }
        return new NoveltyScores(scores, top);
    }
}
