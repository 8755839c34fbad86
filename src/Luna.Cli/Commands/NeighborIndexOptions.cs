using System.CommandLine;
using Luna.Core;
using Luna.Core.Neighbors;
using Luna.Core.Scoring;
using Luna.Neighbors.Hnsw;

namespace Luna.Cli.Commands;

/// <summary>
/// The neighbour-index options shared by <c>luna score</c> and <c>luna bench</c>: <c>--index exact|hnsw</c> and the HNSW
/// graph settings (<c>--hnsw-connectivity</c>, <c>--hnsw-expansion-add</c>, <c>--hnsw-expansion-search</c>,
/// <c>--hnsw-exact-below</c>), defaults from <see cref="HnswOptions.Defaults"/>.
/// </summary>
internal sealed class NeighborIndexOptions
{
    private readonly Option<string?> _index = new("--index")
    {
        Description = $"Neighbour search of luna, lof and knn: exact (default; identical to brute force) or hnsw (approximate graph search for large training sets, reference sets under --hnsw-exact-below rows stay exact).",
    };

    private readonly Option<int?> _connectivity = new("--hnsw-connectivity")
    {
        Description = $"hnsw: links per node M (default {HnswOptions.Defaults.Connectivity}); more = higher recall, more memory.",
    };

    private readonly Option<int?> _expansionAdd = new("--hnsw-expansion-add")
    {
        Description = $"hnsw: candidate list while building, efConstruction (default {HnswOptions.Defaults.ExpansionAdd}).",
    };

    private readonly Option<int?> _expansionSearch = new("--hnsw-expansion-search")
    {
        Description = $"hnsw: candidate list while searching, ef (default {HnswOptions.Defaults.ExpansionSearch}); more = higher recall, slower.",
    };

    private readonly Option<int?> _exactBelow = new("--hnsw-exact-below")
    {
        Description = $"hnsw: reference sets with fewer rows are searched exactly (default {HnswOptions.Defaults.ExactBelow}).",
    };

    /// <summary>Adds the options to <paramref name="command"/> (without <c>--index</c> when <paramref name="withIndex"/> is false).</summary>
    public void AddTo(Command command, bool withIndex = true)
    {
        if (withIndex)
        {
            command.Options.Add(_index);
        }
        command.Options.Add(_connectivity);
        command.Options.Add(_expansionAdd);
        command.Options.Add(_expansionSearch);
        command.Options.Add(_exactBelow);
    }

    /// <summary>The values given (validated later, inside the command's error handling).</summary>
    public NeighborIndexChoice Read(ParseResult parse) => new(
        parse.GetValue(_index),
        parse.GetValue(_connectivity),
        parse.GetValue(_expansionAdd),
        parse.GetValue(_expansionSearch),
        parse.GetValue(_exactBelow));
}

/// <summary>The raw values of the neighbour-index options.</summary>
internal sealed record NeighborIndexChoice(string? Index, int? Connectivity, int? ExpansionAdd, int? ExpansionSearch, int? ExactBelow)
{
    /// <summary>The HNSW settings with the defaults filled in.</summary>
    /// <exception cref="LunaInputException">A value is out of range; the message names the option and the value.</exception>
    public HnswOptions Hnsw()
    {
        Check("--hnsw-connectivity", Connectivity, 2);
        Check("--hnsw-expansion-add", ExpansionAdd, 1);
        Check("--hnsw-expansion-search", ExpansionSearch, 1);
        Check("--hnsw-exact-below", ExactBelow, 0);
        return new HnswOptions
        {
            Connectivity = Connectivity ?? HnswOptions.Defaults.Connectivity,
            ExpansionAdd = ExpansionAdd ?? HnswOptions.Defaults.ExpansionAdd,
            ExpansionSearch = ExpansionSearch ?? HnswOptions.Defaults.ExpansionSearch,
            ExactBelow = ExactBelow ?? HnswOptions.Defaults.ExactBelow,
        };
    }

    /// <summary>The factory <c>--index</c> names.</summary>
    /// <exception cref="LunaInputException">An unknown index name or an out-of-range setting.</exception>
    public INeighborIndexFactory CreateFactory()
    {
        HnswOptions hnsw = Hnsw();
        return (Index ?? NoveltyScorerOptions.Defaults.NeighborIndex) switch
        {
            "exact" => ExactNeighborIndexFactory.Instance,
            "hnsw" => new HnswNeighborIndexFactory(hnsw),
            _ => throw new LunaInputException($"--index: value '{Index}' is not one of exact, hnsw"),
        };
    }

    private static void Check(string option, int? value, int minimum)
    {
        if (value < minimum)
        {
            throw new LunaInputException($"{option}: value {value} must be at least {minimum}");
        }
    }
}
