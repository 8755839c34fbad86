using System.Globalization;

namespace Luna.Core.Reporting;

/// <summary>
/// Mean and standard deviation of one metric over seeds. The standard deviation is the sample standard deviation
/// (divisor n − 1, as <c>numpy.std(ddof=1)</c>); it is absent for a single seed.
/// </summary>
/// <param name="Mean">Arithmetic mean over the seeds that have the metric.</param>
/// <param name="Std">Sample standard deviation, or null when fewer than two seeds have the metric.</param>
/// <param name="Count">Seeds that have the metric.</param>
public readonly record struct SeedSummary(double Mean, double? Std, int Count)
{
    /// <summary>Summarises the values that are present; null when none is.</summary>
    public static SeedSummary? Of(IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double sum = 0;
        int n = 0;
        var list = new List<double>();
        foreach (double? v in values)
        {
            if (v is double x && double.IsFinite(x))
            {
                list.Add(x);
                sum += x;
                n++;
            }
        }
        if (n == 0)
        {
            return null;
        }
        double mean = sum / n;
        double? std = null;
        if (n > 1)
        {
            double ss = 0;
            foreach (double x in list)
            {
                ss += (x - mean) * (x - mean);
            }
            std = Math.Sqrt(ss / (n - 1));
        }
        return new SeedSummary(mean, std, n);
    }

    /// <summary><c>0.912 ± 0.004</c> (or <c>0.912</c> for one seed) with <paramref name="decimals"/> decimals.</summary>
    public string Format(int decimals = 3)
    {
        string format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        string mean = Mean.ToString(format, CultureInfo.InvariantCulture);
        return Std is double s ? $"{mean} ± {s.ToString(format, CultureInfo.InvariantCulture)}" : mean;
    }
}
