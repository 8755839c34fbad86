using System.Globalization;
using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Scoring;

/// <summary>Fixtures of Fixtures/scoring (made by the checked-in Python scripts) and synthetic data for the scoring tests.</summary>
internal static class ScoringData
{
    public static FeatureMatrix Matrix(string file) => Npy.ReadMatrix(Fixture.Path("scoring", file));

    public static int[] Labels(string file) => Npy.ReadLabels(Fixture.Path("scoring", file));

    /// <summary>Reads an expected-values CSV: header of column names, one row per query.</summary>
    public static Dictionary<string, double[]> Expected(string file)
    {
        string[] lines = File.ReadAllLines(Fixture.Path("scoring", file));
        string[] header = lines[0].Split(',');
        var columns = header.ToDictionary(h => h, _ => new double[lines.Length - 1]);
        for (int i = 1; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split(',');
            for (int j = 0; j < header.Length; j++)
            {
                columns[header[j]][i - 1] = double.Parse(cells[j], CultureInfo.InvariantCulture);
            }
        }
        return columns;
    }

    public static int[] AsInts(double[] values) => Array.ConvertAll(values, v => checked((int)v));

    /// <summary>Asserts |actual - expected| ≤ relative · |expected| element by element, naming the first failing index.</summary>
    public static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = relative * Math.Max(Math.Abs(expected[i]), 1e-300);
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance, $"index {i}: expected {expected[i]:R}, got {actual[i]:R} (relative error {Math.Abs(actual[i] - expected[i]) / Math.Abs(expected[i]):G3})");
        }
    }

    /// <summary>n Gaussian points around <paramref name="center"/> with standard deviation sigma per coordinate (Box-Muller).</summary>
    public static float[][] Gaussian(Random random, int n, double[] center, double sigma)
    {
        var rows = new float[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new float[center.Length];
            for (int j = 0; j < center.Length; j++)
            {
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                double z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                rows[i][j] = (float)(center[j] + (sigma * z));
            }
        }
        return rows;
    }

    /// <summary>n points uniform in [low, high]^d.</summary>
    public static float[][] Uniform(Random random, int n, int d, double low, double high)
    {
        var rows = new float[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new float[d];
            for (int j = 0; j < d; j++)
            {
                rows[i][j] = (float)(low + ((high - low) * random.NextDouble()));
            }
        }
        return rows;
    }

    public static double[] At(int d, int axis, double value)
    {
        var v = new double[d];
        v[axis] = value;
        return v;
    }

    /// <summary>Training set from groups of rows, group g getting label g.</summary>
    public static ScoringTrainingSet Training(params float[][][] groups)
    {
        var rows = new List<float[]>();
        var labels = new List<int>();
        for (int g = 0; g < groups.Length; g++)
        {
            rows.AddRange(groups[g]);
            labels.AddRange(Enumerable.Repeat(g, groups[g].Length));
        }
        return new ScoringTrainingSet(FeatureMatrix.FromRows(rows), labels.ToArray());
    }

    public static ScoringQuery Query(params float[][][] groups) => new(FeatureMatrix.FromRows(groups.SelectMany(g => g).ToList()));

    /// <summary>AUROC with the outliers as the positive class, by the pairwise count P(outlier score &gt; inlier score) + ½ P(tie).</summary>
    public static double Auroc(IReadOnlyList<double> inliers, IReadOnlyList<double> outliers)
    {
        double wins = 0;
        foreach (double o in outliers)
        {
            foreach (double i in inliers)
            {
                wins += o > i ? 1.0 : o == i ? 0.5 : 0.0;
            }
        }
        return wins / (inliers.Count * (double)outliers.Count);
    }

    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
