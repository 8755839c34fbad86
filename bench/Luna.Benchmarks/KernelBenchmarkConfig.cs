using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Luna.Benchmarks;

/// <summary>Adds a GFLOP/s column to the GEMM benchmarks.</summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    public KernelBenchmarkConfig() => AddColumn(new GflopsColumn());
}

/// <summary>
/// GFLOP/s from the mean time and the M, N, D parameters: 2·M·N·D for a product block, 2·4096·4096·D / 2 for the
/// symmetric self-join (only the upper triangle is computed; the flop count of the full product is halved).
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "2·M·N·D / mean time (self-join: 4096²·D)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        double? meanNs = report?.ResultStatistics?.Mean;
        if (meanNs is null)
        {
            return "-";
        }
        double d = Convert.ToDouble(benchmarkCase.Parameters["D"], System.Globalization.CultureInfo.InvariantCulture);
        double flops = benchmarkCase.Descriptor.WorkloadMethod.Name.Contains("Symmetric", StringComparison.Ordinal)
            ? 4096.0 * 4096 * d
            : 2.0 * Convert.ToDouble(benchmarkCase.Parameters["M"], System.Globalization.CultureInfo.InvariantCulture)
                * Convert.ToDouble(benchmarkCase.Parameters["N"], System.Globalization.CultureInfo.InvariantCulture) * d;
        return (flops / meanNs.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
