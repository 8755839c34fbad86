using Luna.Core;

namespace Luna.Vision.Images;

/// <summary>An image left out under <see cref="BadImagePolicy.Skip"/>.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Why it was left out (the decoder's message).</param>
public sealed record SkippedImage(string Path, string Reason);

/// <summary>Runs work over image files on every core, with the bad-image policy applied in one place.</summary>
internal static class ImageBatch
{
    /// <summary>
    /// Reads every file and calls <paramref name="work"/>(index, bytes) in parallel. A <see cref="LunaInputException"/>
    /// (undecodable image) or an I/O error marks the file bad: under <see cref="BadImagePolicy.Fail"/> the loop stops and
    /// the bad file with the lowest index is reported; under <see cref="BadImagePolicy.Skip"/> it is added to
    /// <paramref name="skipped"/> (in index order) and its entry in the returned mask is false.
    /// </summary>
    public static bool[] Run(IReadOnlyList<string> paths, BadImagePolicy policy, Action<int, byte[]> work, List<SkippedImage> skipped, Action? done = null, CancellationToken cancellationToken = default)
    {
        int n = paths.Count;
        var ok = new bool[n];
        var errors = new LunaInputException?[n];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            Parallel.For(0, n, options, (i, state) =>
            {
                if (state.ShouldExitCurrentIteration)
                {
                    return;
                }
                try
                {
                    byte[] bytes = ReadBytes(paths[i]);
                    work(i, bytes);
                    ok[i] = true;
                }
                catch (LunaInputException e)
                {
                    errors[i] = e;
                    if (policy == BadImagePolicy.Fail)
                    {
                        state.Stop();
                    }
                }
                done?.Invoke();
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        cancellationToken.ThrowIfCancellationRequested();
        for (int i = 0; i < n; i++)
        {
            if (errors[i] is { } error)
            {
                if (policy == BadImagePolicy.Fail)
                {
                    throw new LunaInputException(error.Message + " (use --on-bad-image skip to leave such files out)", error);
                }
                skipped.Add(new SkippedImage(paths[i], error.Message));
            }
        }
        return ok;
    }

    /// <summary>The bytes of an image file; a missing or unreadable file is bad input naming the path.</summary>
    public static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw LunaInputException.InFile(path, "image file not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw LunaInputException.InFile(path, "image file not found");
        }
        catch (UnauthorizedAccessException e)
        {
            throw LunaInputException.InFile(path, $"cannot be read ({e.Message})");
        }
        catch (IOException e)
        {
            throw LunaInputException.InFile(path, $"cannot be read ({e.Message})");
        }
    }
}
