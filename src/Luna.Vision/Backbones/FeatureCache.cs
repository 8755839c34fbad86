using System.Runtime.InteropServices;
using Luna.Core.IO;

namespace Luna.Vision.Backbones;

/// <summary>
/// Features of a frozen backbone cached on disk, keyed by the SHA-256 of the image file's content and by the backbone
/// (its id, the checksums of its model files and the preprocessing version), so a second run over the same images does
/// not extract again, and a changed file or backbone never gets stale features.
/// </summary>
/// <remarks>
/// Layout: <c>DIR/&lt;backbone key&gt;/&lt;first two hex digits&gt;/&lt;sha256&gt;.f32</c>, each file D little-endian
/// float32 values, written atomically. DIR is <c>--cache-dir</c>, else <c>$LUNA_CACHE_DIR</c>, else
/// <c>${XDG_CACHE_HOME:-~/.cache}/luna/features</c>. A file of the wrong length counts as absent and is rewritten.
/// Several processes may share the folder.
/// </remarks>
public sealed class FeatureCache
{
    /// <summary>The environment variable that moves the cache.</summary>
    public const string DirectoryVariable = "LUNA_CACHE_DIR";

    /// <summary>Creates a cache in <paramref name="directory"/> for features of dimension <paramref name="dimension"/> of one backbone.</summary>
    public FeatureCache(string directory, string backboneKey, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(backboneKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Root = Path.GetFullPath(directory);
        Folder = Path.Combine(Root, backboneKey);
        Dimension = dimension;
    }

    /// <summary>The cache root.</summary>
    public string Root { get; }

    /// <summary>This backbone's folder inside the root.</summary>
    public string Folder { get; }

    /// <summary>Feature dimension D.</summary>
    public int Dimension { get; }

    /// <summary>The default cache root: <c>$LUNA_CACHE_DIR</c>, else <c>${XDG_CACHE_HOME:-~/.cache}/luna/features</c>.</summary>
    public static string DefaultDirectory
    {
        get
        {
            string? own = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrWhiteSpace(own))
            {
                return own;
            }
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "luna", "features");
        }
    }

    /// <summary>Copies the cached features of the content with hash <paramref name="sha256"/> into <paramref name="destination"/>; false when absent.</summary>
    public bool TryGet(string sha256, Span<float> destination)
    {
        string path = PathOf(sha256);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length != Dimension * sizeof(float))
            {
                return false;
            }
            stream.ReadExactly(MemoryMarshal.AsBytes(destination[..Dimension]));
            return BitConverter.IsLittleEndian;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    /// <summary>Stores features for the content with hash <paramref name="sha256"/> (atomically; errors writing the cache are ignored).</summary>
    public void Put(string sha256, ReadOnlySpan<float> features)
    {
        float[] copy = features[..Dimension].ToArray();
        try
        {
            AtomicFile.Write(PathOf(sha256), stream => stream.Write(MemoryMarshal.AsBytes(copy.AsSpan())));
        }
        catch (IOException)
        {
            // A read-only or full cache must not stop the run; the features are simply not kept.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string PathOf(string sha256) => Path.Combine(Folder, sha256[..2], sha256 + ".f32");
}
