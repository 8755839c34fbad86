using Luna.Core.Data;

namespace Luna.Neighbors.Hnsw.Tests;

/// <summary>Seeded Gaussian clusters (the shape of deep features), for recall tests.</summary>
internal static class ClusteredData
{
    /// <summary>n rows of dimension d around <paramref name="clusters"/> centres (spread 1, noise 0.5); labels = cluster.</summary>
    public static (FeatureMatrix Features, int[] Labels) Make(int seed, int n, int d, int clusters) => Make(seed, seed, n, d, clusters);

    /// <summary>As <see cref="Make(int, int, int, int)"/>, the centres from <paramref name="centreSeed"/> and the samples from <paramref name="sampleSeed"/>.</summary>
    public static (FeatureMatrix Features, int[] Labels) Make(int centreSeed, int sampleSeed, int n, int d, int clusters)
    {
        var random = new Random(centreSeed);
        var centres = new float[clusters * d];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)Gaussian(random);
        }
        random = new Random(sampleSeed + 1_000_003);
        var x = new FeatureMatrix(n, d);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = random.Next(clusters);
            labels[i] = c;
            for (int p = 0; p < d; p++)
            {
                x[i, p] = centres[(c * d) + p] + (float)(0.5 * Gaussian(random));
            }
        }
        return (x, labels);
    }

    private static double Gaussian(Random random)
    {
        double u = 1.0 - random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
