using System.Diagnostics;
using System.Globalization;

namespace Luna.Cli.Bench;

/// <summary>What the bench records about the machine and the process: CPU, cores, memory, load, peak resident memory.</summary>
internal static class Machine
{
    /// <summary>"AMD EPYC ... (2 cores), 23.4 GiB RAM", from /proc/cpuinfo and /proc/meminfo (or what .NET knows).</summary>
    public static string Describe()
    {
        string cpu = "unknown CPU";
        string flags = "";
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && cpu == "unknown CPU")
                {
                    cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
                else if (line.StartsWith("flags", StringComparison.Ordinal) && flags.Length == 0)
                {
                    flags = line.Contains(" avx512f", StringComparison.Ordinal) ? ", AVX-512" : line.Contains(" avx2", StringComparison.Ordinal) ? ", AVX2" : "";
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        double memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30);
        return string.Create(CultureInfo.InvariantCulture, $"{cpu} ({Environment.ProcessorCount} cores{flags}), {memory:F1} GiB RAM; {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; .NET {Environment.Version}");
    }

    /// <summary>The 1-, 5- and 15-minute load averages, or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>
    /// Resets the peak resident set size of this process to its current size (Linux: writing 5 to /proc/self/clear_refs),
    /// after a full compacting collection that returns freed memory to the system. False when the reset is not available,
    /// in which case <see cref="PeakResidentBytes"/> covers the whole life of the process.
    /// </summary>
    public static bool ResetPeak()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The current resident set size (VmRSS), in bytes, or 0 when unknown.</summary>
    public static long ResidentBytes() => Status("VmRSS:") ?? 0;

    /// <summary>The peak resident set size (VmHWM) since the last <see cref="ResetPeak"/>, in bytes.</summary>
    public static long PeakResidentBytes()
    {
        long? peak = Status("VmHWM:");
        if (peak is long value)
        {
            return value;
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static long? Status(string field)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
