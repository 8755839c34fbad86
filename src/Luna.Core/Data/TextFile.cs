namespace Luna.Core.Data;

/// <summary>Opens the CSV text files of labels, scores, groups and counts, and refuses a binary file before parsing it.</summary>
internal static class TextFile
{
    private const int Probe = 4096;

    /// <summary>The first six bytes of every .npy file: 0x93 then "NUMPY".</summary>
    private static ReadOnlySpan<byte> NpyMagic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// The lines of <paramref name="path"/>, after checking that it exists and is text: a file that starts with the
    /// <c>.npy</c> magic, or holds a NUL byte in its first 4 KiB, is bad input named as such (instead of a parse error
    /// that quotes binary bytes).
    /// </summary>
    /// <exception cref="LunaInputException">The file is missing, or is not a text file.</exception>
    public static IEnumerable<string> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            throw LunaInputException.InFile(path, "file not found");
        }
        Span<byte> head = stackalloc byte[Probe];
        int read;
        using (FileStream stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, Probe, throwOnEndOfStream: false);
        }
        ReadOnlySpan<byte> start = head[..read];
        if (start.StartsWith(NpyMagic))
        {
            throw LunaInputException.InFile(path, "is a .npy file, not a CSV text file; give the CSV here (or the .npy where a .npy is accepted)");
        }
        if (start.Contains((byte)0))
        {
            throw LunaInputException.InFile(path, "is not a text file (it holds binary data); expected a CSV text file");
        }
        return File.ReadLines(path);
    }
}
