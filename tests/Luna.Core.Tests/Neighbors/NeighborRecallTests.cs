using Luna.Core.Neighbors;

namespace Luna.Core.Tests.Neighbors;

public class NeighborRecallTests
{
    [Fact]
    public void Recall_is_the_mean_fraction_of_exact_neighbours_found_whatever_their_order()
    {
        // Row 0: exact {1, 2, 3}, found {3, 1, 9}: 2 of 3. Row 1: exact {4, 5, 6}, found {6, 5, 4}: 3 of 3. Mean (2 + 3) / 6.
        var exact = new NeighborResult([1, 2, 3, 4, 5, 6], new double[6], 2, 3);
        var approximate = new NeighborResult([3, 1, 9, 6, 5, 4], new double[6], 2, 3);
        Assert.Equal(5.0 / 6.0, NeighborRecall.Compute(approximate, exact), 15);
        Assert.Equal(1.0, NeighborRecall.Compute(exact, exact));
    }

    [Fact]
    public void Results_of_different_shapes_cannot_be_compared()
    {
        var a = new NeighborResult([1, 2], new double[2], 1, 2);
        var b = new NeighborResult([1], new double[1], 1, 1);
        Assert.Throws<ArgumentException>(() => NeighborRecall.Compute(a, b));
    }
}
