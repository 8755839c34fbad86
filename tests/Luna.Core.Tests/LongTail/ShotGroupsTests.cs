using Luna.Core.LongTail;

namespace Luna.Core.Tests.LongTail;

public class ShotGroupsTests
{
    [Theory]
    [InlineData(0, ShotGroup.Few)]
    [InlineData(19, ShotGroup.Few)]
    [InlineData(20, ShotGroup.Medium)]
    [InlineData(100, ShotGroup.Medium)]
    [InlineData(101, ShotGroup.Many)]
    [InlineData(3000, ShotGroup.Many)]
    public void The_oltr_boundaries_are_more_than_100_and_under_20(int count, ShotGroup expected)
    {
        Assert.Equal(expected, ShotGroups.Of(count));
    }

    [Fact]
    public void The_fmnist_olt_counts_fill_every_group()
    {
        // docs/data.md: 3000, 1159, 448, 173 many; 67, 26 medium; 10 few.
        ShotGroup[] groups = ShotGroups.FromCounts(new[] { 3000, 1159, 448, 173, 67, 26, 10 });
        Assert.Equal(new[] { ShotGroup.Many, ShotGroup.Many, ShotGroup.Many, ShotGroup.Many, ShotGroup.Medium, ShotGroup.Medium, ShotGroup.Few }, groups);
    }

    [Fact]
    public void A_negative_count_is_an_error_naming_the_class()
    {
        var ex = Assert.Throws<LunaInputException>(() => ShotGroups.FromCounts(new[] { 5, -1 }));
        Assert.Contains("class 1 has count -1", ex.Message);
    }
}
