using Luna.Vision.Sources;

namespace Luna.Vision.Tests.Sources;

public class ValidationHoldoutTests
{
    [Theory]
    [InlineData(1000, 20)]
    [InlineData(100, 20)]
    [InlineData(99, 19)]
    [InlineData(50, 10)]
    [InlineData(10, 2)]
    [InlineData(5, 1)]
    [InlineData(4, 0)]
    [InlineData(1, 0)]
    public void A_class_gives_min_20_and_a_fifth_of_its_images(int size, int expected)
        => Assert.Equal(expected, ValidationHoldout.HeldOut(size));

    [Fact]
    public void The_split_is_per_class_disjoint_complete_and_fixed_by_the_seed()
    {
        int[] labels = Enumerable.Range(0, 230).Select(i => i < 150 ? 0 : i < 200 ? 1 : i < 226 ? 2 : 3).ToArray();
        (int[] train, int[] validation) = ValidationHoldout.Split(labels, 4, seed: 7);
        Assert.Equal(20 + 10 + 5 + 0, validation.Length);
        Assert.Equal(Enumerable.Range(0, 230), train.Concat(validation).Order());
        Assert.Equal([20, 10, 5, 0], Enumerable.Range(0, 4).Select(c => validation.Count(i => labels[i] == c)));
        Assert.Equal([130, 40, 21, 4], Enumerable.Range(0, 4).Select(c => train.Count(i => labels[i] == c)));
        Assert.Equal(validation, ValidationHoldout.Split(labels, 4, seed: 7).Validation);
        Assert.NotEqual(validation, ValidationHoldout.Split(labels, 4, seed: 8).Validation);
    }

    [Fact]
    public void When_every_class_is_under_5_images_each_class_of_3_or_more_gives_one()
    {
        int[] labels = [0, 0, 0, 0, 1, 1, 1, 2, 2];
        (int[] train, int[] validation) = ValidationHoldout.Split(labels, 3, seed: 1);
        Assert.Equal([1, 1, 0], Enumerable.Range(0, 3).Select(c => validation.Count(i => labels[i] == c)));
        Assert.Equal([3, 2, 2], Enumerable.Range(0, 3).Select(c => train.Count(i => labels[i] == c)));
    }
}
