using Luna.Core.Data;
using Luna.Core.Metrics;
using Luna.Core.Neighbors;
using Luna.Core.Scoring;

namespace Luna.Neighbors.Hnsw.Tests;

public class HnswNeighborIndexFactoryTests
{
    [Fact]
    public void Small_reference_sets_get_an_exact_index_and_large_ones_the_graph()
    {
        var factory = new HnswNeighborIndexFactory(new HnswOptions { ExactBelow = 100 });
        (FeatureMatrix small, _) = ClusteredData.Make(1, 99, 4, 3);
        (FeatureMatrix large, _) = ClusteredData.Make(2, 100, 4, 3);
        Assert.IsType<ExactNeighborIndex>(factory.Create(small));
        using var graph = Assert.IsType<HnswNeighborIndex>(factory.Create(large));
        Assert.Equal("hnsw", factory.Name);
        Assert.False(factory.IsExact);
    }

    [Fact]
    public void Luna_with_the_hnsw_index_scores_like_exact_search()
    {
        (FeatureMatrix train, int[] labels) = ClusteredData.Make(3, 5000, 16, 8);
        (FeatureMatrix known, _) = ClusteredData.Make(3, 30, 300, 16, 8);
        (FeatureMatrix novel, _) = ClusteredData.Make(4, 300, 16, 8);
        var queries = new FeatureMatrix(600, 16);
        known.Data.CopyTo(queries.Data);
        novel.Data.CopyTo(queries.Data[known.Data.Length..]);
        var isNovel = new bool[600];
        Array.Fill(isNovel, true, 300, 300);
        var training = new ScoringTrainingSet(train, labels);
        var query = new ScoringQuery(queries);
        double[] exact = new LunaScorer().Fit(training).Score(query).Scores;
        var options = new NoveltyScorerOptions { NeighborIndex = new HnswNeighborIndexFactory(new HnswOptions { ExactBelow = 1000 }) };
        double[] approximate = new LunaScorer(options).Fit(training).Score(query).Scores;
        int same = 0;
        for (int i = 0; i < exact.Length; i++)
        {
            same += exact[i] == approximate[i] ? 1 : 0;
        }
        Assert.True(same >= 0.95 * exact.Length, $"{same} of {exact.Length} factors identical");
        double exactAuroc = DetectionEvaluator.Auroc(exact, isNovel);
        double approximateAuroc = DetectionEvaluator.Auroc(approximate, isNovel);
        Assert.True(Math.Abs(exactAuroc - approximateAuroc) <= 0.005, $"AUROC exact {exactAuroc}, hnsw {approximateAuroc}");
    }
}
