namespace Luna.Cli.Tests;

/// <summary>The bad-input paths of <c>luna demo</c> (the end-to-end run is <see cref="DemoIntegrationTests"/>).</summary>
public class DemoCommandTests
{
    [Theory]
    [InlineData(new[] { "--loss", "wcentre" }, "--loss: value 'wcentre' is not one of ce, center, wcenter, focal, balanced-softmax")]
    [InlineData(new[] { "--seeds", "0" }, "--seeds: value 0 must be at least 1")]
    [InlineData(new[] { "--epochs", "0" }, "--epochs: value 0 must be at least 1")]
    [InlineData(new[] { "--device", "tpu" }, "--device: value 'tpu' is not one of cpu, cuda")]
    [InlineData(new[] { "--scores", "lux" }, "--scores: value 'lux' is not a known novelty score")]
    public void A_bad_option_is_exit_code_two_with_one_line_and_no_output(string[] options, string expected)
    {
        using var temp = new TempFolder();
        CliResult r = CliRunner.Run(["demo", "--out", temp.File("demo"), .. options]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Error);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Empty(temp.Entries());
    }

    [Fact]
    public void A_data_folder_without_fashion_mnist_is_exit_code_two_saying_how_to_get_it()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("empty"));
        CliResult r = CliRunner.Run("demo", "--quick", "--data", temp.File("empty"), "--out", temp.File("demo"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(temp.File("empty"), r.Error);
        Assert.Contains("dataset-fashion-mnist", r.Error);
        Assert.Equal(["empty"], temp.Entries());
    }
}
