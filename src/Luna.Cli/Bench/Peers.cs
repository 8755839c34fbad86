using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using Luna.Training;

namespace Luna.Cli.Bench;

/// <summary>One peer's run: seconds (fit, score, total), peak memory, the BLAS it ran, or why it did not run.</summary>
internal sealed record PeerResult(string Peer, string? Skipped, double Fit, double Score, double Total, double Pairs, double PeakMb, string Blas, string Note)
{
    /// <summary>Seconds of each training epoch (the training peer only), or null.</summary>
    public double[]? Epochs { get; init; }

    /// <summary>Where each training epoch's time went (the training peer only), or null.</summary>
    public StepPhases[]? Phases { get; init; }

    public bool Ran => Skipped is null;

    public static PeerResult Skip(string peer, string reason) => new(peer, reason, 0, 0, 0, 0, 0, "", "");
}

/// <summary>
/// Runs the Python peers of <c>bench/peers/</c> (numpy, scikit-learn, FAISS) with Debian's python. Each script prints one
/// JSON line; a missing python, script or package becomes a skipped peer with the reason. OPENBLAS_CORETYPE and
/// OPENBLAS_L2_SIZE are removed from the peers' environment (only theirs), so that OpenBLAS picks its own kernel, unless
/// <see cref="PeerCoreType"/> says otherwise: an older OpenBLAS that does not know a newer CPU falls back to its generic
/// SSE3 kernel (Debian 12's 0.3.21 picks "Prescott" on Sapphire Rapids and later Xeons, about a quarter of the speed of its
/// AVX-512 kernel there), and timing a peer on that would flatter Luna.
/// </summary>
internal sealed class Peers
{
    /// <summary>OpenBLAS kernels that use AVX-512 (their names as OPENBLAS_CORETYPE and threadpoolctl spell them).</summary>
    private static readonly string[] s_avx512Kernels = ["SkylakeX", "Cooperlake", "SapphireRapids"];

    /// <summary>OpenBLAS kernels that use AVX2 and FMA (or AVX-512).</summary>
    private static readonly string[] s_avx2Kernels = ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"];

    private readonly string _python;
    private readonly string? _directory;
    private readonly string? _unavailable;
    private readonly string _coreTypeRequest;
    private readonly Lazy<(string? CoreType, string Description)> _coreType;

    /// <param name="python">The python interpreter with the peers' packages.</param>
    /// <param name="directory">The peer scripts, or null to look for <c>bench/peers/</c>.</param>
    /// <param name="coreType">
    /// OPENBLAS_CORETYPE for the peers: <c>auto</c> (OpenBLAS's own choice, unless that is a kernel narrower than this CPU's
    /// widest SIMD, then SkylakeX on AVX-512 or Haswell on AVX2), <c>native</c> (always OpenBLAS's own choice), or a kernel name.
    /// </param>
    public Peers(string python, string? directory, string coreType = AutoCoreType)
    {
        _python = python;
        _coreTypeRequest = coreType;
        _coreType = new(ChooseCoreType);
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

    /// <summary>The default of <c>--peer-coretype</c>.</summary>
    public const string AutoCoreType = "auto";

    /// <summary>Where the scripts are, or null.</summary>
    public string? Directory => _directory;

    /// <summary>The OPENBLAS_CORETYPE the peers run with (null: unset, OpenBLAS chooses), decided on first use.</summary>
    public string? PeerCoreType => _coreType.Value.CoreType;

    /// <summary>One sentence for the report: how the peers' OpenBLAS kernel was chosen.</summary>
    public string PeerCoreTypeDescription => _coreType.Value.Description;

    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/> and, added to its environment,
    /// <paramref name="environment"/>; never throws for a missing peer.
    /// </summary>
    public PeerResult Run(
        string peer, string script, IEnumerable<string> arguments, TextWriter log, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
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
        ProcessStartInfo start = PythonProcess([path, .. arguments]);
        start.WorkingDirectory = _directory;
        if (PeerCoreType is not null)
        {
            start.Environment["OPENBLAS_CORETYPE"] = PeerCoreType;
        }
        foreach ((string name, string value) in environment ?? ReadOnlyDictionary<string, string>.Empty)
        {
            start.Environment[name] = value;
        }
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
        StepPhases[]? phases = root.TryGetProperty("phases", out JsonElement spent) ? spent.EnumerateArray().Select(ReadPhases).ToArray() : null;
        return new PeerResult(peer, null, Number("fit"), Number("score"), Number("total"), Number("pairs"), Number("peak_rss_mb"), Text("blas"), Text("note")) { Epochs = epochs, Phases = phases };
    }

    private static StepPhases ReadPhases(JsonElement epoch)
    {
        double Phase(string name) => epoch.GetProperty(name).GetDouble();
        return new StepPhases(Phase("data"), Phase("forward"), Phase("backward"), Phase("optimizer"), Phase("read"));
    }

    /// <summary>Decides <see cref="PeerCoreType"/>: asks the peers' python which kernel OpenBLAS picks on its own.</summary>
    private (string? CoreType, string Description) ChooseCoreType()
    {
        if (_coreTypeRequest == "native")
        {
            return (null, "the peers ran with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (OpenBLAS's own kernel choice, --peer-coretype native)");
        }
        if (_coreTypeRequest != AutoCoreType)
        {
            return (_coreTypeRequest, $"the peers ran with OPENBLAS_CORETYPE={_coreTypeRequest} (--peer-coretype) and OPENBLAS_L2_SIZE unset");
        }
        string? own = _unavailable is null ? ProbeOpenBlasKernel() : null;
        string? wanted = Avx512F.IsSupported ? "SkylakeX" : Avx2.IsSupported && Fma.IsSupported ? "Haswell" : null;
        string[] good = Avx512F.IsSupported ? s_avx512Kernels : s_avx2Kernels;
        if (own is null || wanted is null || good.Contains(own, StringComparer.OrdinalIgnoreCase))
        {
            string which = own is null ? "" : $"; OpenBLAS chose its {own} kernel";
            return (null, $"the peers ran with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset{which}");
        }
        return (wanted, $"the peers ran with OPENBLAS_CORETYPE={wanted}: left to itself, the peers' OpenBLAS did not recognise this CPU and chose its generic {own} kernel, narrower than the CPU's {(Avx512F.IsSupported ? "AVX-512" : "AVX2")} (--peer-coretype native keeps that choice)");
    }

    /// <summary>The kernel name OpenBLAS picks in the peers' python with no override (threadpoolctl), or null when unknown.</summary>
    private string? ProbeOpenBlasKernel()
    {
        ProcessStartInfo start = PythonProcess(["-c", "import numpy\nfrom threadpoolctl import threadpool_info\nprint(next((p.get('architecture') or '' for p in threadpool_info() if p.get('internal_api') == 'openblas'), ''))"]);
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            string output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The peers' python with <paramref name="arguments"/>, its output captured, and OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
    /// removed from its environment, so that OpenBLAS makes its own choice unless the caller sets one.
    /// </summary>
    private ProcessStartInfo PythonProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(_python, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        return start;
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
