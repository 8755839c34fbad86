namespace Luna.Cli.Tests;

/// <summary>Runs the <c>luna</c> command in-process and captures its exit code, standard output and standard error.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args) => Run(CancellationToken.None, args);

    public static CliResult Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = LunaCli.Run(args, output, error, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error);
