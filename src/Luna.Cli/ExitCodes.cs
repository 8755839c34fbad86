namespace Luna.Cli;

/// <summary>The exit codes of every <c>luna</c> command.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Luna's own failure (a bug or an environment problem that is not the user's input).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: a missing or malformed file, a mismatched shape, an invalid option value.</summary>
    public const int BadInput = 2;

    /// <summary>Cancelled by the user (Ctrl-C); outputs are left as they were before the command started.</summary>
    public const int Cancelled = 130;
}
