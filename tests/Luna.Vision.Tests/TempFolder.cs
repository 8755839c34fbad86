namespace Luna.Vision.Tests;

/// <summary>A temporary folder deleted with everything in it at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("luna-vision").FullName;

    public string Path { get; }

    public string File(params string[] parts) => System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
