namespace Luna.Cli.Tests;

public class LunaCliTests
{
    [Fact]
    public void An_unknown_command_is_bad_input_with_exit_code_two()
    {
        CliResult result = CliRunner.Run("no-such-command");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("no-such-command", result.Error);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_one_line_naming_the_option_and_the_value_without_the_help_text()
    {
        CliResult result = CliRunner.Run("train", "--data", "x", "--out", "y.luna", "--k", "abc");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(["luna: error: --k: value 'abc' is not an integer", "luna: 'luna train --help' lists the options"], Lines(result.Error));
    }

    [Fact]
    public void An_unknown_option_is_bad_input_naming_it_and_the_commands_help()
    {
        CliResult result = CliRunner.Run("evaluate", "--features", "f", "--out", "o", "--bogus");

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(["luna: error: Unrecognized command or argument '--bogus'.", "luna: 'luna evaluate --help' lists the options"], Lines(result.Error));
    }

    [Theory]
    [InlineData("Cannot parse argument '0.5x' for option '--accept-fraction' as expected type 'System.Nullable`1[System.Double]'.", "--accept-fraction: value '0.5x' is not a number")]
    [InlineData("Cannot parse argument 'yes' for option '--quick' as expected type 'System.Boolean'.", "--quick: value 'yes' is not true or false")]
    [InlineData("Option '--out' is required.", "Option '--out' is required.")]
    public void Parse_messages_that_name_a_dotnet_type_are_said_in_lunas_words(string message, string expected)
    {
        Assert.Equal(expected, LunaCli.Describe(message));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public void Help_lists_the_tool_and_exits_with_zero()
    {
        CliResult result = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("LUNA", result.Output);
    }
}
