namespace Luna.Core.Metrics;

/// <summary>Rank statistics with ties given their average rank (as <c>scipy.stats.rankdata</c> and <c>spearmanr</c>).</summary>
public static class RankCorrelation
{
    /// <summary>
    /// 1-based ranks of <paramref name="values"/> in ascending order; tied values all get the mean of the ranks they
    /// span (<c>scipy.stats.rankdata(values, method="average")</c>). O(n log n).
    /// </summary>
    /// <exception cref="LunaInputException">A value is NaN.</exception>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        double[] keys = values.ToArray();
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(keys[i]))
            {
                throw new LunaInputException($"ranks: value at index {i} is NaN");
            }
            order[i] = i;
        }
        Array.Sort(keys, order);
        var ranks = new double[n];
        int start = 0;
        while (start < n)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }
            // positions start..end-1 hold ranks start+1..end; their mean is (start + 1 + end) / 2.
            double rank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                ranks[order[i]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    /// <summary>
    /// Spearman's rank correlation: the Pearson correlation of the average ranks of <paramref name="x"/> and
    /// <paramref name="y"/> (= <c>scipy.stats.spearmanr(x, y).correlation</c>, ties included).
    /// </summary>
    /// <returns>rho in [-1, 1], or null when n &lt; 2 or either variable is constant (undefined).</returns>
    /// <exception cref="LunaInputException">Lengths differ or a value is NaN.</exception>
    public static double? Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new LunaInputException($"spearman: {x.Length} values against {y.Length}");
        }
        if (x.Length < 2)
        {
            return null;
        }
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>Pearson's correlation of two equal-length vectors; null when either is constant or n &lt; 2.</summary>
    public static double? Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new LunaInputException($"pearson: {x.Length} values against {y.Length}");
        }
        int n = x.Length;
        if (n < 2)
        {
            return null;
        }
        double meanX = 0.0;
        double meanY = 0.0;
        for (int i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxy = 0.0;
        double sxx = 0.0;
        double syy = 0.0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0.0 || syy == 0.0)
        {
            return null;
        }
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }
}
