namespace Luna.Vision.Sources;

/// <summary>
/// Holds out a seeded, per-class validation sample from a training source when the user gives no validation split.
/// </summary>
/// <remarks>
/// Class c with n_c images gives v_c = min(<see cref="PerClass"/>, floor(n_c / <see cref="MaxFractionDenominator"/>))
/// validation images: OLTR's 20 per class where the class has 100 images or more, and at most a fifth of any class,
/// so a tail class keeps at least 80% of its images for training (a class of under 5 images gives none and keeps all).
/// When that holds out nothing at all (every class has under 5 images), each class with at least 3 images gives one
/// (keeping 2 or more, the fewest LUNA can measure a density on). Per class, in class order, the indices are shuffled
/// by one <c>new Random(seed)</c> (Fisher–Yates) and the first v_c are held out. Both index lists are returned in
/// ascending order.
/// </remarks>
public static class ValidationHoldout
{
    /// <summary>Validation images per class when the class is large enough (OLTR's convention).</summary>
    public const int PerClass = 20;

    /// <summary>At most 1/5 of a class is held out.</summary>
    public const int MaxFractionDenominator = 5;

    /// <summary>Splits the indices 0..n-1 of <paramref name="labels"/> (0..K-1) into training and validation.</summary>
    public static (int[] Train, int[] Validation) Split(IReadOnlyList<int> labels, int classCount, int seed, int perClass = PerClass)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(perClass);
        var byClass = new List<int>[classCount];
        for (int c = 0; c < classCount; c++)
        {
            byClass[c] = new List<int>();
        }
        for (int i = 0; i < labels.Count; i++)
        {
            byClass[labels[i]].Add(i);
        }
        bool fallback = true;
        for (int c = 0; c < classCount; c++)
        {
            fallback &= HeldOut(byClass[c].Count, perClass) == 0;
        }
        var random = new Random(seed);
        var train = new List<int>(labels.Count);
        var validation = new List<int>();
        for (int c = 0; c < classCount; c++)
        {
            int[] members = byClass[c].ToArray();
            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            int held = fallback ? (members.Length >= MinimumForFallback ? 1 : 0) : HeldOut(members.Length, perClass);
            validation.AddRange(members.AsSpan(0, held).ToArray());
            train.AddRange(members.AsSpan(held).ToArray());
        }
        train.Sort();
        validation.Sort();
        return (train.ToArray(), validation.ToArray());
    }

    /// <summary>A class needs this many images to give one validation image when the usual rule gives none anywhere.</summary>
    public const int MinimumForFallback = 3;

    /// <summary>v_c = min(perClass, floor(n_c / 5)).</summary>
    public static int HeldOut(int classSize, int perClass = PerClass) => Math.Min(perClass, classSize / MaxFractionDenominator);
}
