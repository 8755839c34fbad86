using Luna.Core;

namespace Luna.Cli.Commands;

/// <summary>
/// Runs a command body and maps its outcome to an exit code: <see cref="LunaInputException"/> prints one line
/// <c>luna: error: ...</c> and returns 2; cancellation returns 130; any other exception is Luna's own failure (1).
/// </summary>
internal static class CommandRunner
{
    /// <summary>
    /// Runs <paramref name="body"/> on the thread pool, so that System.CommandLine's Ctrl-C / SIGTERM handler can cancel
    /// <paramref name="cancellationToken"/> and wait for the command to stop cleanly (see <see cref="LunaCli.CancellationGrace"/>).
    /// </summary>
    public static Task<int> RunAsync(TextWriter error, Func<CancellationToken, int> body, CancellationToken cancellationToken)
        => Task.Run(() => Run(error, body, cancellationToken), CancellationToken.None);

    public static int Run(TextWriter error, Func<CancellationToken, int> body, CancellationToken cancellationToken)
    {
        try
        {
            return body(cancellationToken);
        }
        catch (LunaInputException ex)
        {
            error.WriteLine($"luna: error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("luna: cancelled; no output was changed.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            error.WriteLine($"luna: internal error: {ex.GetType().Name}: {ex.Message}");
            error.WriteLine(ex.StackTrace);
            return ExitCodes.Failure;
        }
    }
}
