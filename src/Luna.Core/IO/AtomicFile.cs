namespace Luna.Core.IO;

/// <summary>
/// Writes files so that nothing half-written survives: the content goes to a temporary file in the
/// destination's folder, is flushed to disk, and is renamed over the destination only when complete.
/// If the writer throws (bad input, cancellation, a bug), the temporary file is deleted and the
/// destination is left as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">Destination path; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes text (UTF-8, no byte-order mark) atomically.</summary>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.NewLine = "\n";
            write(writer);
            writer.Flush();
        });
    }

    /// <summary>Writes a whole string atomically (UTF-8, no byte-order mark).</summary>
    public static void WriteAllText(string path, string content) => WriteText(path, w => w.Write(content));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
