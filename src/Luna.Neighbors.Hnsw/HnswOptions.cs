namespace Luna.Neighbors.Hnsw;

/// <summary>
/// Settings of the HNSW index (Malkov and Yashunin 2018, USearch's implementation). The constants of
/// <see cref="Defaults"/> are also the command-line defaults (<c>--hnsw-connectivity</c>, ...).
/// </summary>
public sealed record HnswOptions
{
    /// <summary>The default settings.</summary>
    public static class Defaults
    {
        /// <summary>Graph connectivity M (links per node on the upper layers, 2M on the base layer): 16.</summary>
        public const int Connectivity = 16;

        /// <summary>Candidate-list size while inserting (efConstruction): 128.</summary>
        public const int ExpansionAdd = 128;

        /// <summary>Candidate-list size while searching (ef; at least k is used): 256.</summary>
        public const int ExpansionSearch = 256;

        /// <summary>
        /// Reference sets smaller than this get an exact index instead: 50,000. Below it the exact index's matrix products
        /// cost less than building a graph (and are exact); for LUNA this keeps nearly every per-class set exact.
        /// </summary>
        public const int ExactBelow = 50_000;
    }

    /// <summary>The shared default instance.</summary>
    public static HnswOptions Default { get; } = new();

    /// <summary>Graph connectivity M, ≥ 2: more links give higher recall, more memory and a slower build.</summary>
    public int Connectivity { get; init; } = Defaults.Connectivity;

    /// <summary>Candidate-list size while inserting (efConstruction), ≥ 1: larger gives a better graph and a slower build.</summary>
    public int ExpansionAdd { get; init; } = Defaults.ExpansionAdd;

    /// <summary>Candidate-list size while searching (ef), ≥ 1; a search for k neighbours uses max(ef, k). Larger gives higher recall, slower search.</summary>
    public int ExpansionSearch { get; init; } = Defaults.ExpansionSearch;

    /// <summary>Reference sets with fewer rows than this are searched exactly (<see cref="Luna.Core.Neighbors.ExactNeighborIndex"/>); 0 = always HNSW.</summary>
    public int ExactBelow { get; init; } = Defaults.ExactBelow;

    /// <summary>
    /// Threads inserting into the graph; 0 = all cores. USearch draws node levels from a generator with a fixed seed (it
    /// offers no seed to set), so with 1 thread the graph, and every search result, is the same on every run; with several
    /// threads the insertion order, and so the graph, varies from run to run.
    /// </summary>
    public int BuildThreads { get; init; }
}
