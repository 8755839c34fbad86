using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class ClassHierarchyTests
{
    [Fact]
    public void Fmnist_olt_unknowns_are_shirt_and_sneaker_near_and_bag_far()
    {
        int[] known = [0, 1, 2, 3, 4, 5, 9];
        ClassHierarchy h = FashionMnist.Hierarchy;
        Assert.All(known, c => Assert.Equal(OpenSetGroup.Known, h.GroupOf(c, known)));
        Assert.Equal(OpenSetGroup.Near, h.GroupOf(6, known));
        Assert.Equal(OpenSetGroup.Near, h.GroupOf(7, known));
        Assert.Equal(OpenSetGroup.Far, h.GroupOf(8, known));
        Assert.Equal("tops", h.SuperClassOf(6).Name);
        Assert.Equal("footwear", h.SuperClassOf(7).Name);
    }

    [Fact]
    public void Groups_follow_the_known_set()
    {
        int[] known = [0];
        ClassHierarchy h = FashionMnist.Hierarchy;
        Assert.Equal(OpenSetGroup.Near, h.GroupOf(2, known));
        Assert.Equal(OpenSetGroup.Far, h.GroupOf(5, known));
        Assert.Equal(OpenSetGroup.Far, h.GroupOf(1, known));
    }

    [Fact]
    public void Hierarchy_distance_is_0_1_2_3_for_known_near_far_cross()
    {
        Assert.Equal(0, new SampleTag(OpenSetGroup.Known, 0, "", "", 0).HierarchyDistance);
        Assert.Equal(1, new SampleTag(OpenSetGroup.Near, 0, "", "", 0).HierarchyDistance);
        Assert.Equal(2, new SampleTag(OpenSetGroup.Far, 0, "", "", 0).HierarchyDistance);
        Assert.Equal(3, new SampleTag(OpenSetGroup.Cross, 0, "", "", 0).HierarchyDistance);
    }

    [Fact]
    public void Fashion_mnist_hierarchy_covers_the_ten_classes_once()
    {
        int[] all = FashionMnist.Hierarchy.SuperClasses.SelectMany(s => s.Classes).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 10), all);
        Assert.Equal(new[] { "tops", "bottoms", "dresses", "footwear", "bags" }, FashionMnist.Hierarchy.SuperClasses.Select(s => s.Name));
    }

    [Fact]
    public void A_class_in_two_super_classes_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ClassHierarchy([new SuperClass("a", [1, 2]), new SuperClass("b", [2])]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Hierarchy.SuperClassOf(11));
    }
}
