using Luna.Core.Neighbors;

namespace Luna.Core.Scoring;

/// <summary>
/// The local reachability densities of one reference set (Breunig et al. 2000, as computed by scikit-learn's
/// LocalOutlierFactor with novelty=True), and the outlier factor of queries against it. LOF uses one over all
/// training features; LUNA one per class.
/// </summary>
/// <remarks>
/// <code>
/// kdist(o)    = distance from o to its k-th nearest reference other than itself
/// reach(p, o) = max(kdist(o), d(p, o))
/// lrd(p)      = 1 / (mean_{o in N_k(p)} reach(p, o) + 1e-10)
/// factor(p)   = mean_{o in N_k(p)} lrd(o) / lrd(p)
/// </code>
/// For a reference o, N_k(o) excludes o itself (by index; a duplicate of o is a neighbour); for a query p, N_k(p) is its
/// k nearest references (a reference equal to p is a neighbour).
/// Only kdist and lrd of the references are kept (computed once, at fit); the caller searches a query's neighbours with
/// the same reference set (the index it fitted with, or any exact index over the same rows in the same order).
/// </remarks>
internal sealed class LocalDensity
{
    /// <summary>The 1e-10 added to the mean reachability distance, as in scikit-learn, so duplicates keep a finite density.</summary>
    public const double Epsilon = 1e-10;

    private readonly double[] _kDistance;
    private readonly double[] _lrd;

    private LocalDensity(int k, double[] kDistance, double[] lrd)
    {
        K = k;
        _kDistance = kDistance;
        _lrd = lrd;
    }

    /// <summary>The neighbourhood size k (1 ≤ k ≤ n - 1).</summary>
    public int K { get; }

    /// <summary>lrd of each reference point.</summary>
    public ReadOnlySpan<double> Lrd => _lrd;

    /// <summary>kdist of each reference point.</summary>
    public ReadOnlySpan<double> KDistance => _kDistance;

    /// <summary>Fits the densities of the points of <paramref name="index"/> with neighbourhood size k (1 ≤ k ≤ n - 1).</summary>
    public static LocalDensity Fit(INeighborIndex index, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (k < 1 || k > index.Count - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..n-1 = 1..{index.Count - 1}.");
        }
        // The exact index hands the self-join over in unmanaged memory, freed here as soon as the densities are known.
        using NeighborRows self = index is ExactNeighborIndex exact
            ? exact.SearchSelfRows(k, cancellationToken)
            : new NeighborRows(index.SearchSelf(k, cancellationToken));
        int n = index.Count;
        var kDistance = new double[n];
        for (int i = 0; i < n; i++)
        {
            kDistance[i] = self.DistancesOf(i)[k - 1];
        }
        var lrd = new double[n];
        for (int i = 0; i < n; i++)
        {
            lrd[i] = Density(self.IndicesOf(i), self.DistancesOf(i), kDistance);
        }
        return new LocalDensity(k, kDistance, lrd);
    }

    /// <summary>
    /// The outlier factor of a query from its neighbours (nearest first; at least <see cref="K"/> of them, only the first K used).
    /// </summary>
    public double Factor(ReadOnlySpan<int> neighbours, ReadOnlySpan<double> distances)
    {
        neighbours = neighbours[..K];
        distances = distances[..K];
        double lrd = Density(neighbours, distances, _kDistance);
        double sum = 0;
        for (int j = 0; j < neighbours.Length; j++)
        {
            sum += _lrd[neighbours[j]];
        }
        return sum / neighbours.Length / lrd;
    }

    private static double Density(ReadOnlySpan<int> neighbours, ReadOnlySpan<double> distances, double[] kDistance)
    {
        double sum = 0;
        for (int j = 0; j < neighbours.Length; j++)
        {
            sum += Math.Max(kDistance[neighbours[j]], distances[j]);
        }
        return 1.0 / ((sum / neighbours.Length) + Epsilon);
    }
}
