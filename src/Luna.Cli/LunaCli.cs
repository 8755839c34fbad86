using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
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
        if (parse.Errors.Count > 0)
        {
            // Bad input, reported like every other: one line per problem, then where the options are listed (instead of
            // System.CommandLine's default of the whole help text and exit code 1).
            foreach (ParseError parseError in parse.Errors)
            {
                error.WriteLine($"luna: error: {Describe(parseError.Message)}");
            }
            error.WriteLine($"luna: '{CommandPath(parse.CommandResult)} --help' lists the options");
            return ExitCodes.BadInput;
        }
        // Ctrl-C (and SIGTERM) cancel the command's token; the command then stops between steps and removes its partial
        // outputs. Give it time to do so before System.CommandLine would end the process itself.
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = CancellationGrace };
        return parse.InvokeAsync(config, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>
    /// System.CommandLine's message for a value of the wrong type names a .NET type
    /// (<c>Cannot parse argument 'abc' for option '--k' as expected type 'System.Nullable`1[System.Int32]'.</c>);
    /// this says it as Luna's other errors do: <c>--k: value 'abc' is not an integer</c>. Other messages pass unchanged.
    /// </summary>
    internal static string Describe(string message)
    {
        Match match = s_typeError.Match(message);
        if (!match.Success)
        {
            return message;
        }
        string type = match.Groups["type"].Value;
        string expected = type.Contains("Int", StringComparison.Ordinal) ? "an integer"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "of the expected kind";
        return $"{match.Groups["option"].Value}: value '{match.Groups["value"].Value}' is not {expected}";
    }

    private static readonly Regex s_typeError = new(
        @"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$", RegexOptions.CultureInvariant);

    private static string CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult c)
            {
                names.Push(c.Parent is null ? "luna" : c.Command.Name);
            }
        }
        return string.Join(' ', names);
    }
}
