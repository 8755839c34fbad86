using Luna.Core;
using Luna.Vision.Images;

namespace Luna.Vision.Sources;

/// <summary>
/// An image folder: <c>root/&lt;class name&gt;/**/*.png|jpg|jpeg|bmp|webp</c>. Class names are the folder names,
/// sorted ordinally (so class j is the j-th name); folders named as unknown classes hold open-set images (label -1).
/// Files without an image extension are ignored; files with one that cannot be decoded are handled later, by
/// <see cref="BadImagePolicy"/>.
/// </summary>
public static class ImageFolder
{
    /// <summary>Reads a training folder: every class folder not in <paramref name="unknownClasses"/> is a known class.</summary>
    /// <param name="root">The folder of class folders.</param>
    /// <param name="unknownClasses">Folder names whose images are unknown (label -1); each must exist.</param>
    /// <exception cref="LunaInputException">The root is missing, a class folder has no image, an unknown class is not found, fewer than 2 known classes.</exception>
    public static ImageCollection Read(string root, IReadOnlyCollection<string>? unknownClasses = null)
    {
        (string full, string[] folders) = ClassFolders(root);
        var unknown = new HashSet<string>(unknownClasses ?? [], StringComparer.Ordinal);
        foreach (string name in unknown)
        {
            if (!folders.Contains(name, StringComparer.Ordinal))
            {
                throw new LunaInputException($"--unknown-classes: value '{name}' is not a class folder of {full} (folders: {string.Join(", ", folders)})");
            }
        }
        string[] known = folders.Where(f => !unknown.Contains(f)).ToArray();
        if (known.Length < 2)
        {
            throw LunaInputException.InFile(full, $"has {known.Length} known class folder{(known.Length == 1 ? "" : "s")}; at least 2 are needed (root/<class name>/<images>)");
        }
        return Collect(full, folders, name => Array.IndexOf(known, name), known);
    }

    /// <summary>
    /// Reads a folder to evaluate or predict with a trained model: folders named like a class of the model are that
    /// class, every other folder (and every folder in <paramref name="unknownClasses"/>) holds unknown images.
    /// </summary>
    /// <exception cref="LunaInputException">The root is missing, a class folder has no image, an unknown class is not found.</exception>
    public static ImageCollection ReadForModel(string root, IReadOnlyList<string> classNames, IReadOnlyCollection<string>? unknownClasses = null)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        (string full, string[] folders) = ClassFolders(root);
        var unknown = new HashSet<string>(unknownClasses ?? [], StringComparer.Ordinal);
        foreach (string name in unknown)
        {
            if (!folders.Contains(name, StringComparer.Ordinal))
            {
                throw new LunaInputException($"--unknown-classes: value '{name}' is not a class folder of {full} (folders: {string.Join(", ", folders)})");
            }
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int j = 0; j < classNames.Count; j++)
        {
            index[classNames[j]] = j;
        }
        return Collect(full, folders, name => !unknown.Contains(name) && index.TryGetValue(name, out int j) ? j : -1, classNames.ToArray());
    }

    /// <summary>The image files under <paramref name="folder"/> (recursively), sorted by path.</summary>
    public static string[] ImageFiles(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden })
            .Where(ImageDecoder.HasImageExtension)
            .ToArray();
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static (string Full, string[] Folders) ClassFolders(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw LunaInputException.InFile(root, File.Exists(root) ? "is a file, not an image folder" : "folder not found");
        }
        string[] folders = Directory.GetDirectories(full)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith('.'))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (folders.Length == 0)
        {
            throw LunaInputException.InFile(root, "has no class folders; an image folder is root/<class name>/<images> (.png, .jpg, .jpeg, .bmp, .webp)");
        }
        return (full, folders);
    }

    private static ImageCollection Collect(string full, string[] folders, Func<string, int> labelOf, IReadOnlyList<string> classNames)
    {
        var entries = new List<ImageEntry>();
        foreach (string folder in folders)
        {
            string path = Path.Combine(full, folder);
            string[] files = ImageFiles(path);
            if (files.Length == 0)
            {
                throw LunaInputException.InFile(path, $"class folder '{folder}' has no images (.png, .jpg, .jpeg, .bmp, .webp)");
            }
            int label = labelOf(folder);
            foreach (string file in files)
            {
                entries.Add(new ImageEntry(file, label, folder));
            }
        }
        return new ImageCollection(entries, classNames, full);
    }
}
