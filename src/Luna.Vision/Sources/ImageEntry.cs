namespace Luna.Vision.Sources;

/// <summary>One image of a data source.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Label">Known class 0..K-1, or -1 for an unknown (open-set) image.</param>
/// <param name="SourceClass">
/// The class the source gives the image: its folder name for image folders, the parent folder name or label for
/// split files. For unknowns it names the unknown class in reports.
/// </param>
public sealed record ImageEntry(string Path, int Label, string SourceClass);

/// <summary>A labelled list of images with the names of its known classes.</summary>
/// <param name="Entries">The images, in a fixed order (sorted paths per class for folders, file order for split files).</param>
/// <param name="ClassNames">Name of each known class 0..K-1.</param>
/// <param name="Description">Where the images come from, for messages and manifests.</param>
public sealed record ImageCollection(IReadOnlyList<ImageEntry> Entries, IReadOnlyList<string> ClassNames, string Description)
{
    /// <summary>Images per known class, K entries.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (ImageEntry entry in Entries)
        {
            if (entry.Label >= 0)
            {
                counts[entry.Label]++;
            }
        }
        return counts;
    }

    /// <summary>Number of unknown (label -1) images.</summary>
    public int UnknownCount => Entries.Count(e => e.Label < 0);

    /// <summary>The same collection keeping only <paramref name="indices"/>.</summary>
    public ImageCollection Select(IEnumerable<int> indices) => this with { Entries = indices.Select(i => Entries[i]).ToArray() };
}
