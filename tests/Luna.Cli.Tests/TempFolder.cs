namespace Luna.Cli.Tests;

/// <summary>A temporary folder deleted with everything in it at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("luna-cli").FullName;

    public string Path { get; }

    public string File(params string[] parts) => System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

    /// <summary>Every entry of the folder (files and folders, hidden ones included), relative, sorted.</summary>
    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
