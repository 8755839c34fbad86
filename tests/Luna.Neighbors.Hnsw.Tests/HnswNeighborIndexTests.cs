using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Neighbors.Hnsw.Tests;

public class HnswNeighborIndexTests
{
    private static readonly HnswOptions s_always = new() { ExactBelow = 0 };

    [Fact]
    public void Search_finds_at_least_95_percent_of_the_exact_neighbours_with_exact_distances()
    {
        (FeatureMatrix references, _) = ClusteredData.Make(1, 6000, 24, 30);
        (FeatureMatrix queries, _) = ClusteredData.Make(2, 300, 24, 30);
        using var hnsw = new HnswNeighborIndex(references, s_always);
        NeighborResult approximate = hnsw.Search(queries, 10);
        NeighborResult exact = new ExactNeighborIndex(references).Search(queries, 10);
        double recall = NeighborRecall.Compute(approximate, exact);
        Assert.True(recall >= 0.95, $"recall@10 = {recall}");
        // The distances reported are the exact ones of the neighbours found, rows sorted ascending.
        NeighborResult all = new ExactNeighborIndex(references).Search(queries, references.Rows);
        for (int i = 0; i < queries.Rows; i++)
        {
            var byIndex = new Dictionary<int, double>();
            for (int j = 0; j < all.K; j++)
            {
                byIndex[all.IndicesOf(i)[j]] = all.DistancesOf(i)[j];
            }
            ReadOnlySpan<double> distances = approximate.DistancesOf(i);
            for (int j = 0; j < approximate.K; j++)
            {
                Assert.Equal(byIndex[approximate.IndicesOf(i)[j]], distances[j]);
                Assert.True(j == 0 || distances[j - 1] <= distances[j]);
            }
        }
    }

    [Fact]
    public void SearchSelf_leaves_the_point_itself_out_and_finds_its_exact_neighbours()
    {
        (FeatureMatrix references, _) = ClusteredData.Make(3, 4000, 16, 20);
        using var hnsw = new HnswNeighborIndex(references, s_always);
        NeighborResult self = hnsw.SearchSelf(8);
        Assert.Equal(8, self.K);
        for (int i = 0; i < references.Rows; i++)
        {
            Assert.DoesNotContain(i, self.IndicesOf(i).ToArray());
        }
        double recall = NeighborRecall.Compute(self, new ExactNeighborIndex(references).SearchSelf(8));
        Assert.True(recall >= 0.95, $"recall@8 = {recall}");
    }

    [Fact]
    public void A_graph_built_on_one_thread_gives_the_same_results_on_every_build()
    {
        (FeatureMatrix references, _) = ClusteredData.Make(4, 3000, 16, 10);
        (FeatureMatrix queries, _) = ClusteredData.Make(5, 100, 16, 10);
        var options = s_always with { BuildThreads = 1, ExpansionSearch = 16 };
        using var first = new HnswNeighborIndex(references, options);
        using var second = new HnswNeighborIndex(references, options);
        Assert.Equal(first.Search(queries, 5).Indices, second.Search(queries, 5).Indices);
    }

    [Fact]
    public void Bad_settings_and_an_empty_matrix_are_argument_errors()
    {
        (FeatureMatrix references, _) = ClusteredData.Make(6, 50, 4, 2);
        Assert.Throws<ArgumentException>(() => new HnswNeighborIndex(references, new HnswOptions { Connectivity = 1 }));
        Assert.Throws<ArgumentException>(() => new HnswNeighborIndex(references, new HnswOptions { ExpansionSearch = 0 }));
        Assert.Throws<ArgumentException>(() => new HnswNeighborIndex(new FeatureMatrix(0, 4)));
        using var index = new HnswNeighborIndex(references, s_always);
        Assert.Throws<ArgumentException>(() => index.Search(new FeatureMatrix(2, 3), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new FeatureMatrix(2, 4), 0));
    }

    [Fact]
    public void K_larger_than_the_reference_set_is_clamped()
    {
        (FeatureMatrix references, _) = ClusteredData.Make(7, 30, 4, 2);
        using var index = new HnswNeighborIndex(references, s_always);
        Assert.Equal(30, index.Search(references, 50).K);
        Assert.Equal(29, index.SearchSelf(50).K);
        Assert.NotEmpty(index.HardwareAcceleration);
    }
}
