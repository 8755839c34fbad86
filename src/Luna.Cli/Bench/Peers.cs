using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Luna.Cli.Bench;

/// <summary>One peer's run: seconds (fit, score, total), peak memory, the BLAS it ran, or why it did not run.</summary>
internal sealed record PeerResult(string Peer, string? Skipped, double Fit, double Score, double Total, double Pairs, double PeakMb, string Blas, string Note)
{
    /// <summary>Seconds of each training epoch (the training peer only), or null.</summary>
    public double[]? Epochs { get; init; }

    public bool Ran => Skipped is null;

    public static PeerResult Skip(string peer, string reason) => new(peer, reason, 0, 0, 0, 0, 0, "", "");
}

/// <summary>
/// Runs the Python peers of <c>bench/peers/</c> (numpy, scikit-learn, FAISS) with Debian's python. Each script prints one
/// JSON line; a missing python, script or package becomes a skipped peer with the reason. OPENBLAS_CORETYPE and
/// OPENBLAS_L2_SIZE are removed from the peers' environment (only theirs), so that OpenBLAS picks its own kernel.
/// </summary>
internal sealed class Peers
{
    private readonly string _python;
    private readonly string? _directory;
    private readonly string? _unavailable;

    public Peers(string python, string? directory)
    {
        _python = python;
        _directory = directory ?? Find();
        if (!File.Exists(python))
        {
            _unavailable = $"python not found at {python}";
        }
        else if (_directory is null)
        {
            _unavailable = "the peer scripts (bench/peers/) were not found; give --peers";
        }
    }

    /// <summary>Where the scripts are, or null.</summary>
    public string? Directory => _directory;

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; never throws for a missing peer.</summary>
    public PeerResult Run(string peer, string script, IEnumerable<string> arguments, TextWriter log, CancellationToken cancellationToken)
    {
        if (_unavailable is not null)
        {
            return PeerResult.Skip(peer, _unavailable);
        }
        string path = Path.Combine(_directory!, script);
        if (!File.Exists(path))
        {
            return PeerResult.Skip(peer, $"script {path} not found");
        }
        var start = new ProcessStartInfo(_python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(path);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        log.WriteLine($"  running {peer}: {_python} {script} {string.Join(' ', start.ArgumentList.Skip(1))}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_python}");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        string stdout = output.GetAwaiter().GetResult();
        string stderr = error.GetAwaiter().GetResult();
        string? line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            string reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit code {process.ExitCode}";
            return PeerResult.Skip(peer, $"failed: {reason}");
        }
        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        if (root.TryGetProperty("skipped", out JsonElement skipped))
        {
            return PeerResult.Skip(peer, skipped.GetString() ?? "skipped");
        }
        double Number(string name) => root.TryGetProperty(name, out JsonElement value) ? value.GetDouble() : double.NaN;
        string Text(string name) => root.TryGetProperty(name, out JsonElement value) ? value.GetString() ?? "" : "";
        double[]? epochs = root.TryGetProperty("epochs", out JsonElement list) ? list.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null;
        return new PeerResult(peer, null, Number("fit"), Number("score"), Number("total"), Number("pairs"), Number("peak_rss_mb"), Text("blas"), Text("note")) { Epochs = epochs };
    }

    /// <summary>bench/peers/ above the current directory or the executable.</summary>
    private static string? Find()
    {
        foreach (string start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "peers");
                if (File.Exists(Path.Combine(candidate, "peer_common.py")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>Formats seconds for tables.</summary>
    public static string Seconds(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);
}
