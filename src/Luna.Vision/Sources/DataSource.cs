using Luna.Core;
using Luna.Core.Data;

namespace Luna.Vision.Sources;

/// <summary>The kinds of data <c>--data</c> can name.</summary>
public enum DataSourceKind
{
    /// <summary>An image folder, <c>root/&lt;class&gt;/*.png|jpg|...</c>.</summary>
    Folder,

    /// <summary>An OLTR split file, <c>relative/path label</c> per line.</summary>
    Split,

    /// <summary>The Fashion-MNIST IDX files (the FMNIST-OLT benchmark).</summary>
    FashionMnist,
}

/// <summary>Decides what <c>--data</c> names: <c>--source</c> when given, else a file is a split file, a folder holding the Fashion-MNIST IDX files is Fashion-MNIST, any other folder an image folder.</summary>
public static class DataSource
{
    /// <summary>The kind of <paramref name="path"/> (null path = Fashion-MNIST, found the usual way).</summary>
    /// <exception cref="LunaInputException">The path does not exist, or <paramref name="source"/> is not a known kind.</exception>
    public static DataSourceKind Resolve(string? path, string? source)
    {
        if (source is not null)
        {
            return source.Trim().ToLowerInvariant() switch
            {
                "folder" => DataSourceKind.Folder,
                "split" => DataSourceKind.Split,
                "fashion-mnist" or "fmnist" => DataSourceKind.FashionMnist,
                _ => throw new LunaInputException($"--source: value '{source}' is not one of folder, split, fashion-mnist"),
            };
        }
        if (path is null)
        {
            return DataSourceKind.FashionMnist;
        }
        if (File.Exists(path))
        {
            return DataSourceKind.Split;
        }
        if (!Directory.Exists(path))
        {
            throw LunaInputException.InFile(path, "not found (--data names an image folder, a split file or the Fashion-MNIST folder)");
        }
        return DataLocator.FindFashionFiles(path, "--data") is not null ? DataSourceKind.FashionMnist : DataSourceKind.Folder;
    }

    /// <summary>The command-line name of a kind.</summary>
    public static string Name(DataSourceKind kind) => kind switch
    {
        DataSourceKind.Folder => "folder",
        DataSourceKind.Split => "split",
        _ => "fashion-mnist",
    };

    /// <summary>Parses a comma-separated list of class names (<c>--unknown-classes</c>); null or blank = none.</summary>
    public static IReadOnlyList<string> ParseNames(string? value)
        => value is null ? [] : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
