namespace Luna.Cli.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("luna-bench-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bench_at_tiny_sizes_prints_the_tables_and_goals_skips_missing_peers_with_a_note_and_appends_the_report()
    {
        string report = Path.Combine(_dir, "benchmarks.md");
        File.WriteAllText(report, "# Benchmarks\n");
        string work = Path.Combine(_dir, "work");
        CliResult result = CliRunner.Run(
            "bench", "--scenario", "lof-100k,imagenet-lt,hnsw-curve", "--n", "400", "--m", "60", "--d", "8", "--python", Path.Combine(_dir, "no-python"),
            "--hnsw-exact-below", "0", "--work", work, "--report", report);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        string output = result.Output;
        Assert.Contains("## luna bench, ", output);
        Assert.Contains("| engine | fit s | score s | total s | Luna's speed-up |", output);
        Assert.Contains("| Luna `lof` (exact) |", output);
        Assert.Contains("| Luna `luna` (exact) |", output);
        Assert.Contains("| scikit-learn LocalOutlierFactor | – |", output);
        Assert.Contains($"scikit-learn LocalOutlierFactor skipped: python not found at {Path.Combine(_dir, "no-python")}.", output);
        Assert.Contains("FAISS IndexFlatL2 skipped: python not found", output);
        Assert.Contains("| N | exact: fit s | exact: score s | hnsw: fit s (graph build) |", output);
        Assert.Contains("| 400 |", output);
        Assert.Contains("| lof ≥ 3× faster than scikit-learn LOF (N = 400, M = 60, d = 8) | not measured: python not found", output);
        Assert.Contains("HNSW recall@10 ≥ 0.95 (N = 400, d = 8)", output);
        string appended = File.ReadAllText(report);
        Assert.StartsWith("# Benchmarks\n\n## luna bench, ", appended);
        Assert.EndsWith(output, appended);
        Assert.True(File.Exists(Path.Combine(work, "lof_train.npy")));
    }

    [Fact]
    public void The_training_scenario_trains_the_network_reports_its_epochs_and_skips_a_missing_pytorch_with_a_note()
    {
        // Needs the FMNIST-OLT data like the demo's integration test (CI gets it with scripts/get-data.sh).
        string work = Path.Combine(_dir, "work");
        CliResult result = CliRunner.Run("bench", "--scenario", "training", "--epochs", "1", "--python", Path.Combine(_dir, "no-python"), "--work", work);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        Assert.Contains("### Training: the FMNIST-OLT network, 4,883 training images (seed 0's long-tailed split), 1 epochs; inference on the 11,000 test images", result.Output);
        Assert.Matches(@"\| Luna \(TorchSharp [0-9.]+, [0-9]+ threads\) \| [0-9.]+ \| [0-9.]+ \| [0-9]+ \| [0-9.]+ \| [0-9]+ \|", result.Output);
        Assert.Contains("| PyTorch | – | – | – | – | – |", result.Output);
        Assert.Contains("| TorchSharp training time per epoch within 1.1× of PyTorch's (FMNIST-OLT network and data) | not measured: python not found", result.Output);
        // The peer gets the same images: [n, 784] float32 with the labels.
        Assert.Equal((4883, 784), Shape(Core.Data.Npy.ReadMatrix(Path.Combine(work, "training_images.npy"))));
        Assert.Equal(4883, Core.Data.Npy.ReadLabels(Path.Combine(work, "training_labels.npy")).Length);
        Assert.Equal((11000, 784), Shape(Core.Data.Npy.ReadMatrix(Path.Combine(work, "training_test_images.npy"))));

        static (int, int) Shape(Core.Data.FeatureMatrix matrix) => (matrix.Rows, matrix.Columns);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_training_scenario_gives_pytorch_lunas_allocator_settings_and_sets_each_phase_of_a_step_beside_pytorchs()
    {
        // A stand-in for PyTorch's peer: 2 epochs; the first one's phases are large, to show that they are left out.
        // Second epoch over 39 batches (4,883 images in batches of 128): 1.0, 2.0, 3.0, 1.0 and 0.1 ms per batch.
        string python = Path.Combine(_dir, "python");
        File.WriteAllText(python, """
            #!/bin/bash
            if [ "$1" = "-c" ]; then echo SkylakeX; exit 0; fi
            first='{"data":9,"forward":9,"backward":9,"optimizer":9,"read":9}'
            second='{"data":0.039,"forward":0.078,"backward":0.117,"optimizer":0.039,"read":0.0039}'
            echo '{"peer":"pytorch","epochs":[50,0.3],"phases":['"$first,$second"'],"fit":50.3,"score":0.2,"total":50.5,"peak_rss_mb":1,"note":"PyTorch fake, mmap threshold '"${MALLOC_MMAP_THRESHOLD_:-unset}"'"}'
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        CliResult result = CliRunner.Run("bench", "--scenario", "training", "--epochs", "2", "--python", python, "--work", Path.Combine(_dir, "work"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        Assert.Contains("| engine | data | forward | backward | optimizer | read | sum of phases |", result.Output);
        Assert.Contains("| PyTorch | 1.0 | 2.0 | 3.0 | 1.0 | 0.1 | 7.1 |", result.Output);
        // The peer runs with the allocator settings Luna gave its own process (Linux with glibc).
        Assert.Contains("| PyTorch fake, mmap threshold 33554432 |", result.Output);
        Assert.Contains("Both sides ran with the glibc allocator settings Luna applies to its own process (MALLOC_MMAP_THRESHOLD_=33554432, MALLOC_TRIM_THRESHOLD_=268435456, MALLOC_TOP_PAD_=67108864;", result.Output);
        Assert.Matches(@"\| Luna \(TorchSharp\)( \| [0-9]+\.[0-9]){6} \|", result.Output);
        Assert.Matches(@"\| Luna ÷ PyTorch( \| [0-9]+\.[0-9]{2}×){6} \|", result.Output);
    }

    [Theory]
    [InlineData("Prescott", null)]
    [InlineData("SkylakeX", "native")]
    [InlineData("Prescott", "native")]
    [InlineData("Prescott", "Haswell")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Peers_get_a_wider_openblas_kernel_only_when_openblas_falls_back_to_a_narrower_one_than_the_cpu_has(string ownKernel, string? request)
    {
        // A stand-in for the peers' python: answers the kernel probe with ownKernel, writes the scores file scikit-learn's
        // peer would write, and reports the OPENBLAS_CORETYPE it was given as its BLAS.
        string python = Path.Combine(_dir, "python");
        File.WriteAllText(python, $$"""
            #!/bin/bash
            if [ "$1" = "-c" ]; then echo {{ownKernel}}; exit 0; fi
            out=""; prev=""; for a in "$@"; do [ "$prev" = "--out" ] && out="$a"; prev="$a"; done
            if [ -n "$out" ]; then for i in $(seq 60); do echo 1.0; done > "$out"; fi
            echo '{"peer":"fake","fit":0.01,"score":0.01,"total":0.02,"pairs":1,"peak_rss_mb":1,"blas":"coretype='"${OPENBLAS_CORETYPE:-unset}"'","note":"fake"}'
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var arguments = new List<string> { "bench", "--scenario", "lof-100k", "--n", "400", "--m", "60", "--d", "8", "--python", python };
        if (request is not null)
        {
            arguments.AddRange(["--peer-coretype", request]);
        }
        CliResult result = CliRunner.Run([.. arguments]);
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);

        string wider = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "SkylakeX" : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "Haswell" : "unset";
        string expected = request switch
        {
            null => ownKernel == "Prescott" ? wider : "unset",
            "native" => "unset",
            _ => request,
        };
        Assert.Contains($"BLAS: coretype={expected}", result.Output);
        Assert.DoesNotContain("BLAS: coretype=" + (expected == "unset" ? "S" : "unset"), result.Output);
        Assert.Contains(expected == "unset" ? "the peers ran with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset" : $"the peers ran with OPENBLAS_CORETYPE={expected}", result.Output);
    }

    [Fact]
    public void A_peer_coretype_that_is_not_a_kernel_name_is_bad_input()
    {
        CliResult result = CliRunner.Run("bench", "--scenario", "lof-100k", "--peer-coretype", "Skylake X;rm");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--peer-coretype: value 'Skylake X;rm'", result.Error);
    }

    [Fact]
    public void An_epoch_count_below_one_is_bad_input()
    {
        CliResult result = CliRunner.Run("bench", "--scenario", "training", "--epochs", "0");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--epochs: value 0 must be at least 1", result.Error);
    }

    [Fact]
    public void An_unknown_scenario_is_bad_input()
    {
        CliResult result = CliRunner.Run("bench", "--scenario", "gpu");
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--scenario: value 'gpu'", result.Error);
    }
}
