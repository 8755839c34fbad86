using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class GroupFileTests
{
    [Fact]
    public void A_csv_with_index_group_and_class_columns_is_read_in_query_order()
    {
        GroupAssignments g = GroupFile.Parse(new[] { "index,group,class", "0,,", "1,Near,Shirt", "2,known,", "" }, "g.csv");
        Assert.Equal(new[] { null, "near", "known" }, g.Groups);
        Assert.Equal(new[] { null, "Shirt", null }, g.Classes);
        Assert.Equal(2, g.FirstDataLine);
    }

    [Fact]
    public void One_group_name_per_line_needs_no_header()
    {
        GroupAssignments g = GroupFile.Parse(new[] { "known", "far", "", "digits" }, "g.csv");
        Assert.Equal(new[] { "known", "far", null, "digits" }, g.Groups);
        Assert.Null(g.Classes);
        Assert.Equal(1, g.FirstDataLine);
    }

    [Theory]
    [InlineData(new[] { "index,group", "1,near" }, "line 2: field 'index': value '1' should be 0")]
    [InlineData(new[] { "index,name", "0,near" }, "has no column named 'group'")]
    [InlineData(new[] { "index,group,class", "0,near" }, "line 2: value '0,near' has 2 columns")]
    [InlineData(new[] { "" }, "file is empty")]
    public void A_malformed_groups_file_is_an_error_naming_the_line_and_value(string[] lines, string expected)
    {
        var ex = Assert.Throws<LunaInputException>(() => GroupFile.Parse(lines, "g.csv"));
        Assert.StartsWith("g.csv: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
