using Luna.Core.LongTail;

namespace Luna.Core.Tests.LongTail;

public class ShotGroupsTests
{
    [Theory]
    [InlineData(3000, ShotGroup.Many)]
    [InlineData(101, ShotGroup.Many)]
    [InlineData(100, ShotGroup.Medium)]
    [InlineData(20, ShotGroup.Medium)]
    [InlineData(19, ShotGroup.Few)]
    [InlineData(1, ShotGroup.Few)]
    public void Many_is_over_100_medium_20_to_100_few_under_20(int count, ShotGroup expected)
    {
        Assert.Equal(expected, ShotGroups.Of(count));
    }
}
