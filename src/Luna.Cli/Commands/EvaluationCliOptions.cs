using System.CommandLine;
using Luna.Core;
using Luna.Core.Evaluation;
using Luna.Core.Scoring;

namespace Luna.Cli.Commands;

/// <summary>The evaluation options shared by <c>luna demo</c> and <c>luna evaluate</c>.</summary>
internal sealed class EvaluationCliOptions
{
    public Option<string?> Scores { get; } = new("--scores")
    {
        Description = $"Comma-separated novelty scores to evaluate (default all: {string.Join(", ", NoveltyScorerRegistry.Names)}).",
    };

    public Option<int?> K { get; } = new("--k") { Description = $"k of luna and lof (default {NoveltyScorerOptions.Defaults.K})." };

    public Option<double?> AcceptFraction { get; } = new("--accept-fraction")
    {
        Description = $"Fraction of the known validation images each threshold accepts (default {EvaluationOptions.Defaults.AcceptFraction}).",
    };

    public Option<bool> PerClassThresholds { get; } = new("--per-class-thresholds") { Description = "One threshold per predicted class instead of one global threshold." };

    public void AddTo(Command command)
    {
        command.Options.Add(Scores);
        command.Options.Add(K);
        command.Options.Add(AcceptFraction);
        command.Options.Add(PerClassThresholds);
    }

    public EvaluationOptions Bind(ParseResult parse)
    {
        int k = parse.GetValue(K) ?? NoveltyScorerOptions.Defaults.K;
        if (k < 1)
        {
            throw new LunaInputException($"--k: value {k} must be at least 1");
        }
        double accept = parse.GetValue(AcceptFraction) ?? EvaluationOptions.Defaults.AcceptFraction;
        if (!(accept > 0 && accept <= 1))
        {
            throw new LunaInputException($"--accept-fraction: value {accept} must be in (0, 1]");
        }
        return new EvaluationOptions
        {
            Scores = ParseScores(parse.GetValue(Scores)),
            Scoring = new NoveltyScorerOptions { K = k },
            AcceptFraction = accept,
            PerClassThresholds = parse.GetValue(PerClassThresholds),
        };
    }

    internal static IReadOnlyList<string>? ParseScores(string? value)
    {
        if (value is null)
        {
            return null;
        }
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new LunaInputException($"--scores: value '{value}' names no score");
        }
        return parts.Select(p => NoveltyScorerRegistry.Describe(p, "--scores").Name).Distinct().ToArray();
    }
}
