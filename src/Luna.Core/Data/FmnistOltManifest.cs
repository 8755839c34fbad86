using System.Text.Json;
using System.Text.Json.Serialization;
using Luna.Core.IO;
using Luna.Core.LongTail;

namespace Luna.Core.Data;

/// <summary>One known class of the benchmark.</summary>
/// <param name="Label">Luna's label 0..K-1.</param>
/// <param name="SourceClass">The Fashion-MNIST label it was remapped from.</param>
/// <param name="Name">Class name, e.g. <c>Ankle boot</c>.</param>
/// <param name="Rank">Rank in the long tail, 0 = head.</param>
/// <param name="TrainCount">Training images.</param>
/// <param name="ValidationCount">Validation images.</param>
/// <param name="TestCount">Test images.</param>
/// <param name="ShotGroup">many (&gt; 100 training images), medium (20..100) or few (&lt; 20).</param>
/// <param name="SuperClass">The hierarchy super-class, e.g. <c>tops</c>.</param>
public sealed record KnownClassEntry(int Label, int SourceClass, string Name, int Rank, int TrainCount, int ValidationCount, int TestCount, ShotGroup ShotGroup, string SuperClass);

/// <summary>One unknown class of the test set (label -1 everywhere).</summary>
/// <param name="Source">Its dataset: <c>fashion-mnist</c> or <c>mnist</c>.</param>
/// <param name="SourceClass">Its label in that dataset.</param>
/// <param name="Name">Class name, e.g. <c>Shirt</c> or <c>digit 7</c>.</param>
/// <param name="Group">near, far or cross.</param>
/// <param name="HierarchyDistance">1 (near), 2 (far) or 3 (cross).</param>
/// <param name="TestCount">Test images of the class.</param>
/// <param name="SuperClass">The hierarchy super-class, or null for another domain.</param>
public sealed record UnknownClassEntry(string Source, int SourceClass, string Name, OpenSetGroup Group, int HierarchyDistance, int TestCount, string? SuperClass);

/// <summary>A super-class of the hierarchy, with its classes' Fashion-MNIST labels and names.</summary>
/// <param name="Name">Super-class name.</param>
/// <param name="Classes">Fashion-MNIST labels.</param>
/// <param name="ClassNames">Their names.</param>
public sealed record SuperClassEntry(string Name, IReadOnlyList<int> Classes, IReadOnlyList<string> ClassNames);

/// <summary>Sizes of the splits.</summary>
/// <param name="Train">Training images (known classes only).</param>
/// <param name="Validation">Validation images (known classes only).</param>
/// <param name="Test">All test images.</param>
/// <param name="TestKnown">Test images of known classes.</param>
/// <param name="TestNear">Near unknowns.</param>
/// <param name="TestFar">Far unknowns.</param>
/// <param name="TestCross">Cross-domain unknowns (0 when the MNIST digits are absent).</param>
public sealed record SplitSizes(int Train, int Validation, int Test, int TestKnown, int TestNear, int TestFar, int TestCross);

/// <summary>How the cross-domain unknowns were chosen.</summary>
/// <param name="Included">True when MNIST digits are in the test set.</param>
/// <param name="PerDigit">Digits sampled per digit class, or null for all of them.</param>
/// <param name="Seed">The seed of that sample (fixed, independent of the run's seed, so every run sees the same test set).</param>
/// <param name="Note">Why they are absent, when they are.</param>
public sealed record CrossDomainEntry(bool Included, int? PerDigit, int Seed, string? Note);

/// <summary>A source file read to build the benchmark.</summary>
/// <param name="Role">What it is, e.g. <c>fashion-mnist train images</c> or <c>mnist digit 3</c>.</param>
/// <param name="Path">Full path.</param>
/// <param name="Bytes">File size in bytes.</param>
/// <param name="Sha256">SHA-256 of the file as stored (lower-case hex).</param>
/// <param name="ContentSha256">For IDX files, SHA-256 of the decompressed content (the same for the Debian package and
/// the official download); null for other files.</param>
public sealed record SourceFileEntry(string Role, string Path, long Bytes, string Sha256, string? ContentSha256);

/// <summary>
/// Everything needed to know (and rebuild) an FMNIST-OLT split: the settings, the class counts and rank order, the
/// hierarchy, the split sizes, the source files with their SHA-256, and a fingerprint of the chosen images.
/// Serialised with <see cref="ToJson"/> (System.Text.Json, camelCase names, enums as camelCase strings, nulls omitted).
/// </summary>
public sealed class FmnistOltManifest
{
    /// <summary>The benchmark's name, <c>FMNIST-OLT</c>.</summary>
    public string Benchmark { get; init; } = FmnistOlt.Name;

    /// <summary>Version of this manifest's layout.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The run's seed (image choice; also the rank order when <see cref="RankOrder"/> is seed).</summary>
    public int Seed { get; init; }

    /// <summary>The long-tail profile, exp or pareto.</summary>
    public LongTailProfile Profile { get; init; }

    /// <summary>Head count n_max.</summary>
    public int NMax { get; init; }

    /// <summary>Imbalance ratio (exp profile), else null.</summary>
    public double? Ratio { get; init; }

    /// <summary>Tail count n_min (pareto profile), else null.</summary>
    public int? NMin { get; init; }

    /// <summary>Pareto shape alpha (pareto profile), else null.</summary>
    public double? ParetoAlpha { get; init; }

    /// <summary>Whether the class-to-rank assignment was the benchmark's fixed order or drawn from the seed.</summary>
    public RankOrder RankOrder { get; init; }

    /// <summary>Known class names from head (rank 0) to tail: the rank order used.</summary>
    public IReadOnlyList<string> HeadToTail { get; init; } = [];

    /// <summary>Known classes by label 0..K-1.</summary>
    public IReadOnlyList<KnownClassEntry> KnownClasses { get; init; } = [];

    /// <summary>Unknown classes of the test set.</summary>
    public IReadOnlyList<UnknownClassEntry> UnknownClasses { get; init; } = [];

    /// <summary>The class hierarchy used for near / far.</summary>
    public IReadOnlyList<SuperClassEntry> Hierarchy { get; init; } = [];

    /// <summary>Validation images per known class.</summary>
    public int ValidationPerClass { get; init; }

    /// <summary>Sizes of every split.</summary>
    public SplitSizes Splits { get; init; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>How the cross-domain unknowns were chosen, or why they are absent.</summary>
    public CrossDomainEntry CrossDomain { get; init; } = new(false, null, 0, null);

    /// <summary>
    /// SHA-256 (lower-case hex) of the chosen images: of the UTF-8 text with one line <c>split source index</c> per sample,
    /// splits in the order train, validation, test, samples in split order (e.g. <c>train fashion-mnist/train 17</c>).
    /// Two runs with the same fingerprint trained and tested on the same images.
    /// </summary>
    public string SplitFingerprint { get; init; } = string.Empty;

    /// <summary>The files read, with their sizes and SHA-256 (empty when the benchmark was built from sets in memory).</summary>
    public IReadOnlyList<SourceFileEntry> Sources { get; init; } = [];

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DataJsonContext.Default.FmnistOltManifest);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>Reads a manifest written by <see cref="Write"/>.</summary>
    /// <exception cref="LunaInputException">The file is missing or is not such a manifest.</exception>
    public static FmnistOltManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), DataJsonContext.Default.FmnistOltManifest)
                ?? throw LunaInputException.InFile(path, "empty manifest");
        }
        catch (JsonException ex)
        {
            throw new LunaInputException($"{path}: not an FMNIST-OLT manifest ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new LunaInputException($"{path}: cannot be read ({ex.Message})", ex);
        }
    }
}
