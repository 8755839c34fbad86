using Luna.Training.Data;

namespace Luna.Training.Tests;

/// <summary>Small synthetic image sets for fast training tests.</summary>
internal static class TestData
{
    /// <summary>
    /// Grey size×size images; class c has a bright horizontal bar at rows [c·size/K, (c+1)·size/K) on a noisy dark
    /// background (noise uniform in [0, 0.3), from new Random(seed)). Labels are c, in class order.
    /// </summary>
    public static ImageData Bars(IReadOnlyList<int> countPerClass, int size, int seed)
    {
        var random = new Random(seed);
        int k = countPerClass.Count;
        int n = countPerClass.Sum();
        var pixels = new float[n * size * size];
        var labels = new int[n];
        int i = 0;
        for (int c = 0; c < k; c++)
        {
            for (int r = 0; r < countPerClass[c]; r++, i++)
            {
                labels[i] = c;
                for (int y = 0; y < size; y++)
                {
                    bool bar = y >= c * size / k && y < (c + 1) * size / k;
                    for (int x = 0; x < size; x++)
                    {
                        pixels[(i * size * size) + (y * size) + x] = (bar ? 0.7f : 0f) + (float)(random.NextDouble() * 0.3);
                    }
                }
            }
        }
        return new ImageData(pixels, n, 1, size, size, labels);
    }
}
