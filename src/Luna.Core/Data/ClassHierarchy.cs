namespace Luna.Core.Data;

/// <summary>One super-class of a <see cref="ClassHierarchy"/>: a name and the source classes it contains.</summary>
/// <param name="Name">Name of the super-class, e.g. <c>tops</c>.</param>
/// <param name="Classes">Source class ids in the super-class.</param>
public sealed record SuperClass(string Name, IReadOnlyList<int> Classes);

/// <summary>
/// A two-level class hierarchy of one domain (super-classes of source classes), used to tag unknown classes as
/// near or far (docs/data.md): an unknown class is <see cref="OpenSetGroup.Near"/> when its super-class also
/// contains a known class (a sibling is known), <see cref="OpenSetGroup.Far"/> otherwise. Samples from another
/// domain are <see cref="OpenSetGroup.Cross"/>.
/// </summary>
public sealed class ClassHierarchy
{
    private readonly Dictionary<int, int> _superOf = new();

    /// <summary>Creates the hierarchy; every class must belong to exactly one super-class.</summary>
    /// <exception cref="ArgumentException">A class appears in two super-classes.</exception>
    public ClassHierarchy(IReadOnlyList<SuperClass> superClasses)
    {
        ArgumentNullException.ThrowIfNull(superClasses);
        SuperClasses = superClasses;
        for (int s = 0; s < superClasses.Count; s++)
        {
            foreach (int c in superClasses[s].Classes)
            {
                if (!_superOf.TryAdd(c, s))
                {
                    throw new ArgumentException($"class {c} is in both '{superClasses[_superOf[c]].Name}' and '{superClasses[s].Name}'.", nameof(superClasses));
                }
            }
        }
    }

    /// <summary>The super-classes, in the order given.</summary>
    public IReadOnlyList<SuperClass> SuperClasses { get; }

    /// <summary>The super-class containing <paramref name="sourceClass"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The class is not in the hierarchy.</exception>
    public SuperClass SuperClassOf(int sourceClass) =>
        _superOf.TryGetValue(sourceClass, out int s)
            ? SuperClasses[s]
            : throw new ArgumentOutOfRangeException(nameof(sourceClass), $"class {sourceClass} is not in the hierarchy.");

    /// <summary>
    /// The open-set group of a same-domain class given the known classes: <see cref="OpenSetGroup.Known"/> when it is
    /// known; <see cref="OpenSetGroup.Near"/> when another class of its super-class is known; else <see cref="OpenSetGroup.Far"/>.
    /// </summary>
    public OpenSetGroup GroupOf(int sourceClass, IReadOnlyCollection<int> knownClasses)
    {
        ArgumentNullException.ThrowIfNull(knownClasses);
        if (knownClasses.Contains(sourceClass))
        {
            return OpenSetGroup.Known;
        }
        foreach (int sibling in SuperClassOf(sourceClass).Classes)
        {
            if (sibling != sourceClass && knownClasses.Contains(sibling))
            {
                return OpenSetGroup.Near;
            }
        }
        return OpenSetGroup.Far;
    }
}
