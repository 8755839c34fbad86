using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class TrainCountsFileTests
{
    [Fact]
    public void A_class_count_csv_may_list_classes_in_any_order()
    {
        Assert.Equal(new[] { 30, 10, 20 }, TrainCountsFile.ReadCsv(new[] { "class,count", "1,10", "2,20", "0,30" }, "c.csv"));
    }

    [Fact]
    public void One_count_per_line_is_in_class_order()
    {
        Assert.Equal(new[] { 3000, 10 }, TrainCountsFile.ReadCsv(new[] { "3000", "10", "" }, "c.csv"));
    }

    [Fact]
    public void The_fixture_counts_are_read_from_a_file()
    {
        Assert.Equal(new[] { 3000, 1159, 448, 173, 67, 26, 10 }, TrainCountsFile.Read(Fixture.Path("metrics", "olt_train_counts.csv")));
    }

    [Theory]
    [InlineData(new[] { "class,count", "0,5", "2,5" }, "class 1 is missing")]
    [InlineData(new[] { "class,count", "0,5", "0,6" }, "line 3: field 'class': value 0 appears twice")]
    [InlineData(new[] { "class,count", "0,-5" }, "line 2: field 'count': value '-5'")]
    [InlineData(new[] { "10", "x" }, "line 2: field 'count': value 'x'")]
    [InlineData(new[] { "name,number" }, "needs the columns 'class' and 'count'")]
    public void A_malformed_counts_file_is_an_error_naming_the_line_and_value(string[] lines, string expected)
    {
        var ex = Assert.Throws<LunaInputException>(() => TrainCountsFile.ReadCsv(lines, "c.csv"));
        Assert.StartsWith("c.csv: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var ex = Assert.Throws<LunaInputException>(() => TrainCountsFile.Read("/no/such/counts.csv"));
        Assert.Equal("/no/such/counts.csv: file not found", ex.Message);
    }
}
