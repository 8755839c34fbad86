namespace Luna.Core.Metrics;

/// <summary>
/// Names of the test-sample groups (docs/data.md) and their distance in the class hierarchy: known 0,
/// near 1 (a sibling class is known), far 2 (same domain, no sibling known), cross 3 (another domain).
/// Other group names are allowed; they get metrics but no hierarchy distance.
/// </summary>
public static class UnknownGroups
{
    /// <summary>The group of every known sample (label ≥ 0).</summary>
    public const string Known = "known";

    /// <summary>Unknowns of the same domain with a known sibling class.</summary>
    public const string Near = "near";

    /// <summary>Unknowns of the same domain with no known sibling.</summary>
    public const string Far = "far";

    /// <summary>Unknowns of another domain.</summary>
    public const string Cross = "cross";

    /// <summary>The group of unknown samples that were given no group name.</summary>
    public const string Ungrouped = "unknown";

    /// <summary>Known, near, far, cross: the order of rising hierarchy distance.</summary>
    public static IReadOnlyList<string> Hierarchy { get; } = new[] { Known, Near, Far, Cross };

    /// <summary>The hierarchy distance of a group (known 0, near 1, far 2, cross 3, case-insensitive), or null for another name.</summary>
    public static int? HierarchyDistance(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        for (int i = 0; i < Hierarchy.Count; i++)
        {
            if (string.Equals(group, Hierarchy[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return null;
    }

    /// <summary>Trims a group name and lower-cases the four standard names; null or blank becomes null.</summary>
    public static string? Normalize(string? group)
    {
        if (string.IsNullOrWhiteSpace(group))
        {
            return null;
        }
        string trimmed = group.Trim();
        return HierarchyDistance(trimmed) is { } d ? Hierarchy[d] : trimmed;
    }

    /// <summary>
    /// The group of each sample: <see cref="Known"/> for labels ≥ 0; for unknowns (-1) the normalised name from
    /// <paramref name="groups"/>, or <see cref="Ungrouped"/> when there is none.
    /// </summary>
    /// <param name="labels">True label per sample, -1 unknown.</param>
    /// <param name="groups">Group name per sample, or null. A known sample's name must be empty or <c>known</c>; an unknown's must not be <c>known</c>.</param>
    /// <exception cref="LunaInputException">Lengths differ or a group contradicts its label.</exception>
    public static string[] Resolve(ReadOnlySpan<int> labels, IReadOnlyList<string?>? groups)
    {
        if (groups is not null && groups.Count != labels.Length)
        {
            throw new LunaInputException($"groups: {groups.Count} group names for {labels.Length} labels");
        }
        var result = new string[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            string? name = groups is null ? null : Normalize(groups[i]);
            if (labels[i] >= 0)
            {
                if (name is not null && name != Known)
                {
                    throw new LunaInputException($"groups: sample {i} has label {labels[i]} (known) but group '{name}'; known samples belong to group '{Known}' or none");
                }
                result[i] = Known;
            }
            else
            {
                if (name == Known)
                {
                    throw new LunaInputException($"groups: sample {i} has label -1 (unknown) but group '{Known}'");
                }
                result[i] = name ?? Ungrouped;
            }
        }
        return result;
    }

    /// <summary>
    /// The distinct unknown groups of <paramref name="resolved"/> (not <see cref="Known"/>): near, far, cross first in
    /// that order when present, then the other names in order of first appearance.
    /// </summary>
    public static IReadOnlyList<string> UnknownGroupsInOrder(IReadOnlyList<string> resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var others = new List<string>();
        foreach (string g in resolved)
        {
            if (seen.Add(g) && g != Known && HierarchyDistance(g) is null)
            {
                others.Add(g);
            }
        }
        var ordered = new List<string>();
        for (int i = 1; i < Hierarchy.Count; i++)
        {
            if (seen.Contains(Hierarchy[i]))
            {
                ordered.Add(Hierarchy[i]);
            }
        }
        ordered.AddRange(others);
        return ordered;
    }
}
