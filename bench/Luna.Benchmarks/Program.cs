using BenchmarkDotNet.Running;

namespace Luna.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Luna.Benchmarks -- gflops [options]</c> for a quick GFLOP/s line per backend;
/// <c>-- selection [rows refs d k]</c> for the top-k and re-rank steps, <c>-- bound [d]</c> for the observed float32
/// error against its bound, <c>-- pipeline [--m --n --d --k --qtile --rtile --backend]</c> for distances + candidates +
/// re-rank on the shape, <c>-- engines [d]</c> for the exact index's direct/GEMM crossover on small searches; anything else goes to BenchmarkDotNet (<c>-- --filter '*Gemm*'</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "gflops")
        {
            return QuickGflops.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "pipeline")
        {
            return QuickPipeline.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "bound")
        {
            return QuickBound.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "engines")
        {
            return QuickEngines.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == "selection")
        {
            return QuickSelection.Run(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
