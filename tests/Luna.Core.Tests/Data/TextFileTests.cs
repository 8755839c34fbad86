using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public sealed class TextFileTests : IDisposable
{
    private readonly TestData.TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_npy_file_given_as_a_csv_is_named_as_such_without_quoting_its_bytes()
    {
        string path = _temp.File("scores.npy");
        Npy.WriteLabels(path, [1, 2, 3]);

        var e = Assert.Throws<LunaInputException>(() => ScoreFile.Read(path));

        Assert.Equal($"{path}: is a .npy file, not a CSV text file; give the CSV here (or the .npy where a .npy is accepted)", e.Message);
    }

    [Fact]
    public void A_binary_file_given_as_a_csv_is_refused_before_parsing()
    {
        string path = _temp.File("groups.csv");
        File.WriteAllBytes(path, [(byte)'i', (byte)'n', 0, 7, 255]);

        var e = Assert.Throws<LunaInputException>(() => GroupFile.Read(path));

        Assert.Equal($"{path}: is not a text file (it holds binary data); expected a CSV text file", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named_and_a_text_file_is_read_line_by_line()
    {
        Assert.Equal($"{_temp.File("none.csv")}: file not found", Assert.Throws<LunaInputException>(() => TextFile.ReadLines(_temp.File("none.csv"))).Message);
        File.WriteAllText(_temp.File("labels.csv"), "label\n0\n1\n");
        Assert.Equal(["label", "0", "1"], TextFile.ReadLines(_temp.File("labels.csv")));
        Assert.Equal([0, 1], LabelFile.Read(_temp.File("labels.csv")));
    }
}
