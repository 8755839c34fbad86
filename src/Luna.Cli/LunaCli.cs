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
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (0 ok, 1 Luna's own failure, 2 bad input).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = CreateRootCommand();
        ParseResult parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = output, Error = error };
        int code = parse.Invoke(config);
        // System.CommandLine reports parse errors (unknown option, missing value) with exit code 1; they are bad input.
        return parse.Errors.Count > 0 ? ExitCodes.BadInput : code;
    }
}
