using System.Text.Json.Serialization;
using Luna.Core.Data;

namespace Luna.Core.LongTail;

/// <summary>The OLTR shot group of a known class, from its number of training images (docs/data.md).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ShotGroup>))]
public enum ShotGroup
{
    /// <summary>More than 100 training images.</summary>
    Many,

    /// <summary>20 to 100 training images, both ends included.</summary>
    Medium,

    /// <summary>Fewer than 20 training images.</summary>
    Few,
}

/// <summary>
/// Splits known classes into the OLTR shot groups (Liu et al. 2019): many = more than 100 training images,
/// medium = 20..100 (inclusive), few = under 20.
/// </summary>
public static class ShotGroups
{
    /// <summary>A class is <see cref="ShotGroup.Many"/> when its training count is above this value (100).</summary>
    public const int ManyAbove = 100;

    /// <summary>A class is <see cref="ShotGroup.Few"/> when its training count is below this value (20).</summary>
    public const int FewBelow = 20;

    /// <summary>The shot group of a class with <paramref name="trainingCount"/> training images.</summary>
    /// <exception cref="LunaInputException">The count is negative.</exception>
    public static ShotGroup Of(int trainingCount)
    {
        if (trainingCount < 0)
        {
            throw new LunaInputException($"training count: value {trainingCount} is negative");
        }
        return trainingCount > ManyAbove ? ShotGroup.Many
            : trainingCount < FewBelow ? ShotGroup.Few
            : ShotGroup.Medium;
    }

    /// <summary>The shot group of every class; element j is the group of class j.</summary>
    /// <param name="trainingCounts">Training images per class, length K, each ≥ 0.</param>
    /// <exception cref="LunaInputException">A count is negative (the message names the class).</exception>
    public static ShotGroup[] FromCounts(IReadOnlyList<int> trainingCounts)
    {
        ArgumentNullException.ThrowIfNull(trainingCounts);
        var groups = new ShotGroup[trainingCounts.Count];
        for (int j = 0; j < groups.Length; j++)
        {
            if (trainingCounts[j] < 0)
            {
                throw new LunaInputException($"training counts: class {j} has count {trainingCounts[j]}, which is negative");
            }
            groups[j] = Of(trainingCounts[j]);
        }
        return groups;
    }
}
