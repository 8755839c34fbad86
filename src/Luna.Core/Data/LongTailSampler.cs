using System.Text.Json.Serialization;

namespace Luna.Core.Data;

/// <summary>How the per-class training counts of a long-tailed set fall from head to tail (docs/data.md).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<LongTailProfile>))]
public enum LongTailProfile
{
    /// <summary>Exponential (CIFAR-LT style): n_r = round(n_max · ratio^(-r/(K-1))).</summary>
    Exp,

    /// <summary>Pareto (ImageNet-LT style): K draws from a Pareto law with shape alpha, rescaled to [n_min, n_max].</summary>
    Pareto,
}

/// <summary>Which class gets which rank (rank 0 = head = the most images).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RankOrder>))]
public enum RankOrder
{
    /// <summary>A given head-to-tail order (for FMNIST-OLT the benchmark's fixed order).</summary>
    Fixed,

    /// <summary>A random permutation of the classes drawn from the seed.</summary>
    Seed,
}

/// <summary>The images kept from a balanced source: indices into the source, each list ascending.</summary>
/// <param name="Kept">The long-tailed training images.</param>
/// <param name="HeldOut">The held-out images (e.g. the validation set), disjoint from <paramref name="Kept"/>.</param>
public sealed record LongTailSelection(int[] Kept, int[] HeldOut);

/// <summary>
/// Builds long-tailed training sets from a balanced source (docs/data.md): per-rank counts (<c>exp</c> or
/// <c>pareto</c> profile), the class-to-rank assignment, and the seeded choice of which images are kept.
/// </summary>
/// <remarks>
/// Every count is rounded to nearest (halves away from zero). Every random choice has its own
/// <see cref="System.Random"/> stream derived from the seed and a purpose (<c>pareto-counts</c>, <c>rank-order</c>,
/// <c>select/{class}</c>), so that the same seed gives the same result and one choice does not move another.
/// </remarks>
public static class LongTailSampler
{
    /// <summary>
    /// <c>exp</c> profile counts by rank r = 0..K-1: n_r = round(n_max · ratio^(-r/(K-1))), so n_0 = n_max and
    /// n_{K-1} = n_max / ratio. For K = 1 the single count is n_max. Example: K = 7, n_max = 3000, ratio = 300 gives
    /// 3000, 1159, 448, 173, 67, 26, 10.
    /// </summary>
    /// <param name="classCount">K ≥ 1.</param>
    /// <param name="nMax">Count of the head class, ≥ 1.</param>
    /// <param name="ratio">Imbalance ratio n_max / n_min, ≥ 1.</param>
    /// <returns>Counts by rank, head first, length K.</returns>
    /// <exception cref="LunaInputException">A setting is out of range, or the tail count rounds to 0.</exception>
    public static int[] ExpCounts(int classCount, int nMax, double ratio)
    {
        CheckClassCount(classCount);
        CheckNMax(nMax);
        if (!(ratio >= 1.0) || double.IsInfinity(ratio))
        {
            throw new LunaInputException($"imbalance ratio: value {ratio} must be a finite number ≥ 1");
        }
        var counts = new int[classCount];
        for (int r = 0; r < classCount; r++)
        {
            double exponent = classCount == 1 ? 0.0 : -(double)r / (classCount - 1);
            counts[r] = (int)Math.Round(nMax * Math.Pow(ratio, exponent), MidpointRounding.AwayFromZero);
        }
        if (counts[^1] < 1)
        {
            throw new LunaInputException($"imbalance ratio: value {ratio} with n-max {nMax} leaves the tail class {counts[^1]} images; use a ratio of at most {nMax}");
        }
        return counts;
    }

    /// <summary>
    /// <c>pareto</c> profile counts by rank: K values x_i = (1 - U_i)^(-1/alpha) are drawn from the Pareto law with
    /// shape alpha and scale 1 (U_i uniform in [0, 1) from <c>System.Random</c> seeded with the derived seed
    /// <c>(seed, "pareto-counts")</c>), sorted in decreasing order, and rescaled linearly to [n_min, n_max]:
    /// n_r = round(n_min + (x_(r) - x_min) / (x_max - x_min) · (n_max - n_min)). So the head has n_max, the tail n_min,
    /// and the classes in between follow the Pareto law's heavy tail (most classes near n_min). For K = 1, or if all
    /// draws are equal, every count is n_max.
    /// </summary>
    /// <param name="classCount">K ≥ 1.</param>
    /// <param name="nMin">Count of the tail class, 1 ≤ n_min ≤ n_max.</param>
    /// <param name="nMax">Count of the head class.</param>
    /// <param name="alpha">Shape of the Pareto law, &gt; 0 (default 6 as in ImageNet-LT).</param>
    /// <param name="seed">The run's seed.</param>
    /// <returns>Counts by rank, head first (non-increasing), length K.</returns>
    /// <exception cref="LunaInputException">A setting is out of range.</exception>
    public static int[] ParetoCounts(int classCount, int nMin, int nMax, double alpha, int seed)
    {
        CheckClassCount(classCount);
        CheckNMax(nMax);
        if (nMin < 1 || nMin > nMax)
        {
            throw new LunaInputException($"n-min: value {nMin} must be between 1 and n-max ({nMax})");
        }
        if (!(alpha > 0.0) || double.IsInfinity(alpha))
        {
            throw new LunaInputException($"pareto alpha: value {alpha} must be a finite number > 0");
        }
        var random = new Random(DerivedSeed.Of(seed, "pareto-counts"));
        var u = new double[classCount];
        for (int i = 0; i < classCount; i++)
        {
            u[i] = random.NextDouble();
        }
        return ParetoCountsFromUniforms(u, nMin, nMax, alpha);
    }

    /// <summary>The <c>pareto</c> rule of <see cref="ParetoCounts"/> for given uniform numbers U_i in [0, 1).</summary>
    internal static int[] ParetoCountsFromUniforms(ReadOnlySpan<double> u, int nMin, int nMax, double alpha)
    {
        int classCount = u.Length;
        var x = new double[classCount];
        for (int i = 0; i < classCount; i++)
        {
            x[i] = Math.Pow(1.0 - u[i], -1.0 / alpha);
        }
        Array.Sort(x);
        Array.Reverse(x);
        double xMax = x[0];
        double xMin = x[^1];
        var counts = new int[classCount];
        for (int r = 0; r < classCount; r++)
        {
            double t = xMax > xMin ? (x[r] - xMin) / (xMax - xMin) : 1.0;
            counts[r] = (int)Math.Round(nMin + (t * (nMax - nMin)), MidpointRounding.AwayFromZero);
        }
        return counts;
    }

    /// <summary>Counts by rank for <paramref name="profile"/> (see <see cref="ExpCounts"/> and <see cref="ParetoCounts"/>).</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="classCount">K ≥ 1.</param>
    /// <param name="nMax">Head count.</param>
    /// <param name="ratio">Imbalance ratio (<c>exp</c> only).</param>
    /// <param name="nMin">Tail count (<c>pareto</c> only).</param>
    /// <param name="alpha">Pareto shape (<c>pareto</c> only).</param>
    /// <param name="seed">The run's seed (<c>pareto</c> only).</param>
    public static int[] Counts(LongTailProfile profile, int classCount, int nMax, double ratio, int nMin, double alpha, int seed) => profile switch
    {
        LongTailProfile.Exp => ExpCounts(classCount, nMax, ratio),
        LongTailProfile.Pareto => ParetoCounts(classCount, nMin, nMax, alpha, seed),
        _ => throw new LunaInputException($"profile: value '{profile}' is not one of exp, pareto"),
    };

    /// <summary>
    /// The classes from head to tail. <see cref="RankOrder.Fixed"/>: <paramref name="fixedOrder"/> (default 0, 1, …, K-1).
    /// <see cref="RankOrder.Seed"/>: a Fisher–Yates permutation of 0..K-1 drawn with <c>System.Random</c> seeded with the
    /// derived seed <c>(seed, "rank-order")</c>.
    /// </summary>
    /// <param name="classCount">K ≥ 1.</param>
    /// <param name="order">Fixed or seeded.</param>
    /// <param name="seed">The run's seed (seeded order only).</param>
    /// <param name="fixedOrder">The fixed head-to-tail order, a permutation of 0..K-1, or null for 0..K-1.</param>
    /// <returns>headToTail[r] = the class of rank r, length K.</returns>
    /// <exception cref="ArgumentException"><paramref name="fixedOrder"/> is not a permutation of 0..K-1.</exception>
    public static int[] HeadToTailOrder(int classCount, RankOrder order, int seed, IReadOnlyList<int>? fixedOrder = null)
    {
        CheckClassCount(classCount);
        if (order == RankOrder.Seed)
        {
            int[] permutation = Enumerable.Range(0, classCount).ToArray();
            DerivedSeed.Shuffle(permutation, new Random(DerivedSeed.Of(seed, "rank-order")));
            return permutation;
        }
        if (fixedOrder is null)
        {
            return Enumerable.Range(0, classCount).ToArray();
        }
        var seen = new bool[classCount];
        if (fixedOrder.Count != classCount)
        {
            throw new ArgumentException($"the fixed order has {fixedOrder.Count} classes, expected {classCount}.", nameof(fixedOrder));
        }
        foreach (int c in fixedOrder)
        {
            if (c < 0 || c >= classCount || seen[c])
            {
                throw new ArgumentException($"the fixed order is not a permutation of 0..{classCount - 1} (class {c}).", nameof(fixedOrder));
            }
            seen[c] = true;
        }
        return fixedOrder.ToArray();
    }

    /// <summary>Counts per class from counts per rank: counts[headToTail[r]] = countsByRank[r].</summary>
    public static int[] CountsPerClass(IReadOnlyList<int> countsByRank, IReadOnlyList<int> headToTail)
    {
        ArgumentNullException.ThrowIfNull(countsByRank);
        ArgumentNullException.ThrowIfNull(headToTail);
        if (countsByRank.Count != headToTail.Count)
        {
            throw new ArgumentException($"{countsByRank.Count} counts for {headToTail.Count} classes.", nameof(headToTail));
        }
        var counts = new int[countsByRank.Count];
        for (int r = 0; r < counts.Length; r++)
        {
            counts[headToTail[r]] = countsByRank[r];
        }
        return counts;
    }

    /// <summary>
    /// Chooses the images to keep: for each class c = 0..K-1, its images in <paramref name="labels"/> (ascending index)
    /// are shuffled (Fisher–Yates, <c>System.Random</c> seeded with the derived seed <c>(seed, "select/c")</c>); the first
    /// <paramref name="holdOutPerClass"/> are held out and the next counts[c] are kept. Samples whose label is outside
    /// 0..K-1 are ignored. With the same seed, a smaller count keeps a subset of a larger count's images.
    /// </summary>
    /// <param name="labels">Label of every source image.</param>
    /// <param name="countsPerClass">Images to keep of each class 0..K-1.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="holdOutPerClass">Images of each class to hold out (e.g. validation), disjoint from the kept ones.</param>
    /// <param name="source">What to call the source in error messages.</param>
    /// <returns>The kept and held-out indices, each ascending.</returns>
    /// <exception cref="LunaInputException">A class has fewer than holdOut + count images, or a count is negative.</exception>
    public static LongTailSelection Select(ReadOnlySpan<int> labels, IReadOnlyList<int> countsPerClass, int seed, int holdOutPerClass = 0, string source = "source")
    {
        ArgumentNullException.ThrowIfNull(countsPerClass);
        if (holdOutPerClass < 0)
        {
            throw new LunaInputException($"held-out images per class: value {holdOutPerClass} must be ≥ 0");
        }
        int classCount = countsPerClass.Count;
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
        {
            byClass[c] = new List<int>();
        }
        for (int i = 0; i < labels.Length; i++)
        {
            int c = labels[i];
            if (c >= 0 && c < classCount)
            {
                byClass[c].Add(i);
            }
        }
        var kept = new List<int>();
        var heldOut = new List<int>();
        for (int c = 0; c < classCount; c++)
        {
            int want = countsPerClass[c];
            if (want < 0)
            {
                throw new LunaInputException($"class counts: class {c} has count {want}; counts must be ≥ 0");
            }
            int[] indices = byClass[c].ToArray();
            if (indices.Length < holdOutPerClass + want)
            {
                throw new LunaInputException($"{source}: class {c} has {indices.Length} images, fewer than the {want} to keep plus {holdOutPerClass} to hold out");
            }
            DerivedSeed.Shuffle(indices, new Random(DerivedSeed.Of(seed, $"select/{c}")));
            heldOut.AddRange(indices.AsSpan(0, holdOutPerClass));
            kept.AddRange(indices.AsSpan(holdOutPerClass, want));
        }
        int[] keptArray = kept.ToArray();
        int[] heldOutArray = heldOut.ToArray();
        Array.Sort(keptArray);
        Array.Sort(heldOutArray);
        return new LongTailSelection(keptArray, heldOutArray);
    }

    private static void CheckClassCount(int classCount)
    {
        if (classCount < 1)
        {
            throw new LunaInputException($"number of classes: value {classCount} must be ≥ 1");
        }
    }

    private static void CheckNMax(int nMax)
    {
        if (nMax < 1)
        {
            throw new LunaInputException($"n-max: value {nMax} must be ≥ 1");
        }
    }
}
