using System.Text.Json.Serialization;
using Luna.Core.Data;

namespace Luna.Core.LongTail;

/// <summary>The OLTR shot groups of a known class, by its number of training images (SPEC.md section 1).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ShotGroup>))]
public enum ShotGroup
{
    /// <summary>More than 100 training images.</summary>
    Many,

    /// <summary>20 to 100 training images.</summary>
    Medium,

    /// <summary>Fewer than 20 training images.</summary>
    Few,
}

/// <summary>Assigns classes to shot groups: many &gt; 100, medium 20..100, few &lt; 20 training images.</summary>
public static class ShotGroups
{
    /// <summary>The shot group of a class with <paramref name="trainingCount"/> training images.</summary>
    public static ShotGroup Of(int trainingCount) => trainingCount > 100 ? ShotGroup.Many : trainingCount >= 20 ? ShotGroup.Medium : ShotGroup.Few;
}
