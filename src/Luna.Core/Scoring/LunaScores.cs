namespace Luna.Core.Scoring;

/// <summary>
/// The LUNA factor of m queries under one candidate rule (docs/method.md).
/// </summary>
/// <param name="Rule">The candidate rule.</param>
/// <param name="Factors">LUNA(p) per query, length m: the minimum of LUNA_c(p) over the candidate classes c
/// (for <see cref="CandidateRule.All"/>: LOF over all training features). About 1 = familiar; higher = more novel.</param>
/// <param name="Acquaintance">The class each query was judged against, length m: the argmin class (for
/// <see cref="CandidateRule.All"/>: the class of the nearest training feature).</param>
/// <param name="FellBack">Per query: true when no candidate class was eligible (all of them had fewer than 2 training
/// samples) and the query was judged against its nearest eligible class instead; length m.</param>
public sealed record LunaRuleScores(CandidateRule Rule, double[] Factors, int[] Acquaintance, bool[] FellBack)
{
    /// <summary>Warnings raised while scoring (how many queries fell back); empty when none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    /// <summary>The factors and acquaintances as the common <see cref="NoveltyScores"/>.</summary>
    public NoveltyScores ToNoveltyScores() => new(Factors, Acquaintance) { Warnings = Warnings };
}

/// <summary>The LUNA factor of the same queries under the three candidate rules, computed in one pass.</summary>
/// <param name="Neighbours">The default rule: classes among the k nearest training features, plus the top-1 class when logits are given.</param>
/// <param name="Top1">Only the classifier's top-1 class; null when the queries have no logits.</param>
/// <param name="All">Classes ignored: LOF over all training features.</param>
public sealed record LunaAllRules(LunaRuleScores Neighbours, LunaRuleScores? Top1, LunaRuleScores All)
{
    /// <summary>The scores of one rule (<see cref="Top1"/> may be null).</summary>
    public LunaRuleScores? this[CandidateRule rule] => rule switch
    {
        CandidateRule.Neighbours => Neighbours,
        CandidateRule.Top1 => Top1,
        CandidateRule.All => All,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown candidate rule"),
    };
}
