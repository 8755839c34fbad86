using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class LabelFileTests
{
    [Fact]
    public void A_single_column_without_header_reads_every_line()
    {
        Assert.Equal(new[] { 1, -1, 0 }, LabelFile.ReadCsv(new[] { "1", "-1", "", "0" }, "x.csv"));
    }

    [Fact]
    public void A_single_column_with_a_header_skips_the_header()
    {
        Assert.Equal(new[] { 4, 2 }, LabelFile.ReadCsv(new[] { "y", "4", "2" }, "x.csv"));
    }

    [Fact]
    public void Several_columns_use_the_one_named_label()
    {
        Assert.Equal(new[] { 3, -1 }, LabelFile.ReadCsv(new[] { "index,label,group", "0,3,known", "1,-1,near" }, "x.csv"));
    }

    [Fact]
    public void A_value_that_is_not_an_integer_is_an_error_naming_the_line_and_value()
    {
        var ex = Assert.Throws<LunaInputException>(() => LabelFile.ReadCsv(new[] { "label", "1", "cat" }, "y.csv"));
        Assert.Equal("y.csv: line 3: value 'cat' is not an integer label", ex.Message);
    }

    [Fact]
    public void Several_columns_without_a_label_column_is_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => LabelFile.ReadCsv(new[] { "a,b", "1,2" }, "y.csv"));
        Assert.Contains("none named 'label'", ex.Message);
    }

    [Fact]
    public void Csv_labels_round_trip_through_disk()
    {
        string path = Path.Combine(Path.GetTempPath(), $"luna-labels-{Guid.NewGuid():N}.csv");
        try
        {
            LabelFile.WriteCsv(path, new[] { 2, -1, 5 });
            Assert.Equal(new[] { 2, -1, 5 }, LabelFile.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
