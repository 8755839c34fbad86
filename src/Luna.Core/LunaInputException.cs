namespace Luna.Core;

/// <summary>
/// Bad input from the user: a file, a field or an option value that Luna cannot use.
/// The command-line tool prints <see cref="Exception.Message"/> as one line and exits with code 2
/// (code 1 is reserved for Luna's own failures).
/// </summary>
/// <remarks>
/// Messages name the file (when there is one), the field and the value received, for example
/// <c>train.npy: row 17, column 3: value NaN is not finite</c>.
/// </remarks>
public sealed class LunaInputException : Exception
{
    /// <summary>Creates the exception with a complete one-line message.</summary>
    public LunaInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a complete one-line message and the underlying cause.</summary>
    public LunaInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem in a named file: the message becomes <c>"{path}: {detail}"</c>.</summary>
    public static LunaInputException InFile(string path, string detail) => new($"{path}: {detail}");
}
