using System.Globalization;
using Luna.Core;

namespace Luna.Vision.Sources;

/// <summary>One line of a split file.</summary>
/// <param name="Path">Full path of the image (root + relative path).</param>
/// <param name="Label">The label on the line (-1 = open set).</param>
/// <param name="Line">1-based line number.</param>
/// <param name="RelativePath">The path as written.</param>
public sealed record SplitLine(string Path, int Label, int Line, string RelativePath);

/// <summary>
/// The split files of the OLTR literature (ImageNet-LT, Places-LT): one image per line, <c>relative/path label</c>,
/// label -1 for open-set images. The path is everything before the last run of white space (so paths may hold spaces);
/// blank lines and lines starting with <c>#</c> are skipped. Paths are relative to a root folder (default: the split
/// file's own folder).
/// </summary>
public static class SplitFile
{
    /// <summary>Reads and checks every line: the label is an integer ≥ -1 and the file exists under the root.</summary>
    /// <exception cref="LunaInputException">The split file or an image is missing, or a line is malformed (naming file, line and value).</exception>
    public static IReadOnlyList<SplitLine> Read(string file, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!File.Exists(file))
        {
            throw LunaInputException.InFile(file, Directory.Exists(file) ? "is a folder, not a split file" : "split file not found");
        }
        string rootFull = Path.GetFullPath(root ?? Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
        if (!Directory.Exists(rootFull))
        {
            throw new LunaInputException($"--root: folder '{rootFull}' not found");
        }
        var lines = new List<SplitLine>();
        int number = 0;
        foreach (string raw in File.ReadLines(file))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            int split = line.LastIndexOfAny([' ', '\t']);
            if (split <= 0)
            {
                throw LunaInputException.InFile(file, $"line {number}: '{Shorten(line)}' is not 'relative/path label'");
            }
            string relative = line[..split].TrimEnd();
            string labelText = line[(split + 1)..];
            if (!int.TryParse(labelText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int label))
            {
                throw LunaInputException.InFile(file, $"line {number}: label '{Shorten(labelText)}' is not an integer");
            }
            if (label < -1)
            {
                throw LunaInputException.InFile(file, $"line {number}: label {label} is out of range (labels are 0..K-1, or -1 for open-set images)");
            }
            string path = Path.GetFullPath(Path.Combine(rootFull, relative));
            if (!File.Exists(path))
            {
                throw LunaInputException.InFile(file, $"line {number}: image '{relative}' not found under {rootFull}");
            }
            lines.Add(new SplitLine(path, label, number, relative));
        }
        if (lines.Count == 0)
        {
            throw LunaInputException.InFile(file, "split file lists no images");
        }
        return lines;
    }

    /// <summary>
    /// A training split: labels must be 0..K-1 with every class present (no -1). Class j is named after the folder
    /// that holds all of its images when that folder name is the same for the whole class and differs between
    /// classes (ImageNet-LT's <c>train/n01440764/...</c>), otherwise after its label.
    /// </summary>
    /// <exception cref="LunaInputException">A label is -1, a class between 0 and the largest label has no image, or fewer than 2 classes.</exception>
    public static ImageCollection ReadTraining(string file, string? root = null)
    {
        IReadOnlyList<SplitLine> lines = Read(file, root);
        int max = -1;
        foreach (SplitLine line in lines)
        {
            if (line.Label < 0)
            {
                throw LunaInputException.InFile(file, $"line {line.Line}: label -1 (open set) in a training split; training images need known labels 0..K-1");
            }
            max = Math.Max(max, line.Label);
        }
        var counts = new int[max + 1];
        foreach (SplitLine line in lines)
        {
            counts[line.Label]++;
        }
        for (int j = 0; j < counts.Length; j++)
        {
            if (counts[j] == 0)
            {
                throw LunaInputException.InFile(file, $"class {j} has no image, but labels go up to {max}; labels must be 0..K-1 without gaps");
            }
        }
        if (counts.Length < 2)
        {
            throw LunaInputException.InFile(file, $"only class {max} is present; training needs at least two classes");
        }
        string[] names = ClassNames(lines, counts.Length);
        return new ImageCollection(lines.Select(l => new ImageEntry(l.Path, l.Label, names[l.Label])).ToArray(), names, Path.GetFullPath(file));
    }

    /// <summary>
    /// A split to evaluate or predict with a model of <paramref name="classNames"/>.Count classes: labels -1..K-1.
    /// </summary>
    /// <exception cref="LunaInputException">A label is K or more (naming the line and the model's class count).</exception>
    public static ImageCollection ReadForModel(string file, IReadOnlyList<string> classNames, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        IReadOnlyList<SplitLine> lines = Read(file, root);
        var entries = new ImageEntry[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            SplitLine line = lines[i];
            if (line.Label >= classNames.Count)
            {
                throw LunaInputException.InFile(file, $"line {line.Line}: label {line.Label} is out of range -1..{classNames.Count - 1} (the model has {classNames.Count} classes)");
            }
            string source = line.Label >= 0 ? classNames[line.Label] : ParentFolder(line.RelativePath) ?? "open set";
            entries[i] = new ImageEntry(line.Path, line.Label, source);
        }
        return new ImageCollection(entries, classNames, Path.GetFullPath(file));
    }

    private static string[] ClassNames(IReadOnlyList<SplitLine> lines, int classes)
    {
        var folder = new string?[classes];
        var consistent = new bool[classes];
        Array.Fill(consistent, true);
        foreach (SplitLine line in lines)
        {
            string? parent = ParentFolder(line.RelativePath);
            if (parent is null)
            {
                consistent[line.Label] = false;
            }
            else if (folder[line.Label] is null)
            {
                folder[line.Label] = parent;
            }
            else if (folder[line.Label] != parent)
            {
                consistent[line.Label] = false;
            }
        }
        bool all = consistent.All(c => c) && folder.Distinct(StringComparer.Ordinal).Count() == classes;
        var names = new string[classes];
        for (int j = 0; j < classes; j++)
        {
            names[j] = all ? folder[j]! : j.ToString(CultureInfo.InvariantCulture);
        }
        return names;
    }

    private static string? ParentFolder(string relative)
    {
        string? directory = Path.GetDirectoryName(relative.Replace('\\', '/'));
        return string.IsNullOrEmpty(directory) ? null : Path.GetFileName(directory);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
