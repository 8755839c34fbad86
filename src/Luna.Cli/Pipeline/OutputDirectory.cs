namespace Luna.Cli.Pipeline;

/// <summary>
/// An output folder that appears whole or not at all: every file is written into a staging folder beside the target
/// (<c>.DIR.partial-*</c>); <see cref="Publish"/> swaps it into place at the end. If the run fails or is cancelled,
/// <see cref="Dispose"/> deletes the staging folder and an earlier DIR is left untouched.
/// </summary>
internal sealed class OutputDirectory : IDisposable
{
    private bool _published;

    public OutputDirectory(string target)
    {
        Target = Path.GetFullPath(target);
        string parent = Path.GetDirectoryName(Target) ?? ".";
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(Target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    /// <summary>The folder the user asked for.</summary>
    public string Target { get; }

    /// <summary>The folder to write into until <see cref="Publish"/>.</summary>
    public string Staging { get; }

    /// <summary>A path inside the staging folder.</summary>
    public string File(params string[] parts) => Path.Combine(Staging, Path.Combine(parts));

    /// <summary>Replaces <see cref="Target"/> with the staging folder.</summary>
    public void Publish()
    {
        string? old = null;
        if (Directory.Exists(Target))
        {
            old = Path.Combine(Path.GetDirectoryName(Target)!, $".{Path.GetFileName(Target)}.old-{Guid.NewGuid():N}");
            Directory.Move(Target, old);
        }
        else if (System.IO.File.Exists(Target))
        {
            throw new Luna.Core.LunaInputException($"{Target}: exists and is a file; --out must name a folder");
        }
        Directory.Move(Staging, Target);
        _published = true;
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    public void Dispose()
    {
        if (!_published && Directory.Exists(Staging))
        {
            Directory.Delete(Staging, recursive: true);
        }
    }
}
