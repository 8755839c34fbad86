using System.CommandLine;
using Luna.Cli.Commands;

namespace Luna.Cli;

/// <summary>The root of the <c>luna</c> command: builds the command tree and runs it.</summary>
public static class LunaCli
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Luna: open-set long-tailed recognition with the LUNA factor (AAAI 2022).");
        // One line per command; each command lives in Commands/<Name>Command.cs.
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ExtractCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>How long a cancelled command may take to stop cleanly before the process is ended anyway.</summary>
    public static readonly TimeSpan CancellationGrace = TimeSpan.FromSeconds(60);

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (0 ok, 1 Luna's own failure, 2 bad input, 130 cancelled).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, output, error, CancellationToken.None);

    /// <summary>
    /// Parses and runs <paramref name="args"/>; <paramref name="cancellationToken"/> cancels the command as Ctrl-C does
    /// (used by tests). Returns the exit code.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        RootCommand root = CreateRootCommand();
        ParseResult parse = root.Parse(args);
        // Ctrl-C (and SIGTERM) cancel the command's token; the command then stops between steps and removes its partial
        // outputs. Give it time to do so before System.CommandLine would end the process itself.
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = CancellationGrace };
        int code = parse.InvokeAsync(config, cancellationToken).GetAwaiter().GetResult();
        // System.CommandLine reports parse errors (unknown option, missing value) with exit code 1; they are bad input.
        return parse.Errors.Count > 0 ? ExitCodes.BadInput : code;
    }
}
