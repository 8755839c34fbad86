using System.CommandLine;
using System.Globalization;
using System.Text;
using Luna.Cli.Bench;
using Luna.Core;
using Luna.Core.IO;
using Luna.Core.Neighbors;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna bench</c>: times Luna's neighbour-based scores against what users would otherwise run (numpy's float32
/// matmul of the same products as the limit, scikit-learn's LocalOutlierFactor, FAISS's exact flat index) on the same
/// generated deep-feature-like data, in one run; prints a markdown report (seconds, ratios, GFLOP/s, peak memory, the
/// goals of the speed issue with verdicts) and appends it to <c>--report</c>; the training scenario times the FMNIST-OLT
/// network in TorchSharp against the same network in PyTorch on the same images.
/// </summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var scenario = new Option<string>("--scenario")
        {
            Description = $"What to run: {string.Join(", ", BenchRunner.All)} or all, several separated by commas.",
            DefaultValueFactory = _ => "all",
        };
        var n = new Option<int?>("--n") { Description = "Training rows (lof-100k: 100,000; imagenet-lt: 115,846 in all; hnsw-curve: the largest N, 1,000,000, with N/10 and 3N/10 before it)." };
        var m = new Option<int?>("--m") { Description = "Queries, 20% of them novel (lof-100k and hnsw-curve: 10,000; imagenet-lt: 50,000)." };
        var d = new Option<int?>("--d") { Description = "Feature dimension (lof-100k and imagenet-lt: 512; hnsw-curve: 128)." };
        var k = new Option<int?>("--k") { Description = "Neighbourhood size (lof-100k: 20; imagenet-lt and hnsw-curve: 10, LUNA's default)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data.", DefaultValueFactory = _ => 42 };
        var work = new Option<string?>("--work") { Description = "Directory for the generated .npy files (default: a temporary directory, deleted at the end)." };
        var python = new Option<string>("--python")
        {
            Description = "The python with numpy, scikit-learn, FAISS and PyTorch for the peers (Debian's); a missing one skips the peers with a note.",
            DefaultValueFactory = _ => "/usr/bin/python3",
        };
        var peers = new Option<string?>("--peers") { Description = "The peer scripts' directory (default: bench/peers above the current directory)." };
        var coreType = new Option<string>("--peer-coretype")
        {
            Description = "OPENBLAS_CORETYPE of the peers: auto (OpenBLAS's own kernel, unless it falls back to one narrower than the CPU's SIMD: then SkylakeX on AVX-512, Haswell on AVX2), native (always OpenBLAS's own), or a kernel name.",
            DefaultValueFactory = _ => Peers.AutoCoreType,
        };
        var epochs = new Option<int?>("--epochs") { Description = "training: epochs of each side (default 3; the first is reported apart, as warm-up)." };
        var data = new DataCliOptions();
        var report = new Option<string?>("--report") { Description = "Append the report to this markdown file (for example docs/benchmarks.md)." };
        var index = new NeighborIndexOptions();

        var command = new Command("bench", "Time Luna's k-NN scores against numpy's matmul limit, scikit-learn's LOF and FAISS on the same generated data, and its training against PyTorch on the same images.")
        {
            scenario, n, m, d, k, seed, epochs, work, python, peers, coreType, report,
        };
        data.AddTo(command);
        index.AddTo(command, withIndex: false);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            string line = "luna " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value));
            return CommandRunner.RunAsync(stderr, ct =>
            {
                string[] scenarios = ParseScenarios(parse.GetValue(scenario)!);
                CheckSize("--n", parse.GetValue(n), 12);
                CheckSize("--m", parse.GetValue(m), 10);
                CheckSize("--d", parse.GetValue(d), 1);
                CheckSize("--k", parse.GetValue(k), 1);
                CheckSize("--epochs", parse.GetValue(epochs), 1);
                string? workDirectory = parse.GetValue(work);
                bool temporary = workDirectory is null;
                workDirectory ??= Directory.CreateTempSubdirectory("luna-bench-").FullName;
                Directory.CreateDirectory(workDirectory);
                try
                {
                    var settings = new BenchSettings(scenarios, parse.GetValue(n), parse.GetValue(m), parse.GetValue(d), parse.GetValue(k), parse.GetValue(seed), workDirectory, index.Read(parse))
                    {
                        Epochs = parse.GetValue(epochs),
                        DataDirectory = parse.GetValue(data.Data),
                        MnistDirectory = parse.GetValue(data.Mnist),
                    };
                    settings.Index.Hnsw();
                    return Run(settings, new Peers(parse.GetValue(python)!, parse.GetValue(peers), CoreType(parse.GetValue(coreType)!)), line, parse.GetValue(report), stdout, stderr, ct);
                }
                finally
                {
                    if (temporary)
                    {
                        Directory.Delete(workDirectory, recursive: true);
                    }
                }
            }, cancellationToken);
        });
        return command;
    }

    private static int Run(BenchSettings settings, Peers peers, string commandLine, string? reportPath, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string loadBefore = Machine.LoadAverage();
        DateTime started = DateTime.UtcNow;
        var runner = new BenchRunner(settings, peers, stderr);
        foreach (string scenario in settings.Scenarios)
        {
            runner.Run(scenario, cancellationToken);
        }
        string loadAfter = Machine.LoadAverage();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## luna bench, {started:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{commandLine}` (seed {settings.Seed}), {(DateTime.UtcNow - started).TotalMinutes:F1} minutes.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Machine.Describe()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1, 5, 15 min): {loadBefore} at the start, {loadAfter} at the end.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Luna's float32 kernel: {ExactNeighborIndex.KernelDescription}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Peers: {(peers.Directory is null ? "none found" : $"scripts in {peers.Directory}; {peers.PeerCoreTypeDescription}")}.");
        text.AppendLine();
        foreach (string line in runner.Markdown)
        {
            text.AppendLine(line);
        }
        text.AppendLine("### Goals");
        text.AppendLine();
        text.AppendLine("| goal | measured | verdict |");
        text.AppendLine("| --- | --- | --- |");
        foreach (GoalVerdict goal in runner.Goals)
        {
            string verdict = goal.Met switch
            {
                true => "met",
                false => "**missed**",
                null => "not measured",
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {goal.Goal} | {goal.Measured} | {verdict} |");
        }
        text.AppendLine();
        if (runner.Notes.Count > 0)
        {
            text.AppendLine("Notes:");
            text.AppendLine();
            foreach (string note in runner.Notes.Distinct())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
            text.AppendLine();
        }
        string section = text.ToString();
        stdout.Write(section);
        if (reportPath is not null)
        {
            string existing = File.Exists(reportPath) ? File.ReadAllText(reportPath) : "";
            string separator = existing.Length == 0 || existing.EndsWith("\n\n", StringComparison.Ordinal) ? "" : existing.EndsWith('\n') ? "\n" : "\n\n";
            AtomicFile.WriteAllText(reportPath, existing + separator + section);
            stderr.WriteLine($"luna bench: appended the report to {reportPath}");
        }
        return ExitCodes.Ok;
    }

    private static string[] ParseScenarios(string value)
    {
        var scenarios = new List<string>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "all")
            {
                scenarios.AddRange(BenchRunner.All);
            }
            else if (BenchRunner.All.Contains(part))
            {
                scenarios.Add(part);
            }
            else
            {
                throw new LunaInputException($"--scenario: value '{part}' is not one of {string.Join(", ", BenchRunner.All)}, all");
            }
        }
        if (scenarios.Count == 0)
        {
            throw new LunaInputException($"--scenario: value '{value}' names no scenario");
        }
        return scenarios.Distinct().ToArray();
    }

    private static string CoreType(string value)
    {
        string trimmed = value.Trim();
        if (trimmed.Length == 0 || !trimmed.All(char.IsAsciiLetterOrDigit))
        {
            throw new LunaInputException($"--peer-coretype: value '{value}' is not auto, native or an OpenBLAS kernel name (letters and digits, e.g. SkylakeX)");
        }
        return trimmed;
    }

    private static void CheckSize(string option, int? value, int minimum)
    {
        if (value < minimum)
        {
            throw new LunaInputException($"{option}: value {value} must be at least {minimum}");
        }
    }
}
