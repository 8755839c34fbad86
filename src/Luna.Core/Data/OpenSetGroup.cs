using System.Text.Json.Serialization;

namespace Luna.Core.Data;

/// <summary>
/// The role of a test sample in an open-set benchmark (docs/data.md). The numeric value of each member
/// is the sample's hierarchy distance: known 0, near 1, far 2, cross 3.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<OpenSetGroup>))]
public enum OpenSetGroup
{
    /// <summary>A sample of a known class (label 0..K-1). Hierarchy distance 0.</summary>
    Known = 0,

    /// <summary>An unknown of the same domain whose super-class has a known sibling (e.g. Shirt, sibling of T-shirt). Distance 1.</summary>
    Near = 1,

    /// <summary>An unknown of the same domain whose super-class has no known class (e.g. Bag). Distance 2.</summary>
    Far = 2,

    /// <summary>An unknown from another domain (e.g. MNIST digits among Fashion-MNIST). Distance 3.</summary>
    Cross = 3,
}

/// <summary>
/// Where one sample of an <see cref="ImageSet"/> came from and what it is in the open-set protocol.
/// </summary>
/// <param name="Group">Known, or the unknown group (near / far / cross).</param>
/// <param name="SourceClass">The class in its source dataset (Fashion-MNIST 0..9, or the MNIST digit 0..9).</param>
/// <param name="SourceClassName">Human-readable name of <paramref name="SourceClass"/>, e.g. <c>Shirt</c> or <c>digit 7</c>.</param>
/// <param name="Source">The source set: <c>fashion-mnist/train</c>, <c>fashion-mnist/test</c> or <c>mnist</c>.</param>
/// <param name="SourceIndex">Index of the sample in its source set (row of the IDX file; for MNIST, the index within the whole set of 10,000 digits read in digit order 0..9).</param>
public readonly record struct SampleTag(OpenSetGroup Group, int SourceClass, string SourceClassName, string Source, int SourceIndex)
{
    /// <summary>Hierarchy distance of the sample: known 0, near 1, far 2, cross 3 (= the numeric value of <see cref="Group"/>).</summary>
    public int HierarchyDistance => (int)Group;
}
