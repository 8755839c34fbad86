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
    public void Help_lists_the_tool_and_exits_with_zero()
    {
        CliResult result = CliRunner.Run("--help");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("LUNA", result.Output);
    }
}
