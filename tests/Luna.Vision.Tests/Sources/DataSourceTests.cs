using Luna.Core;
using Luna.Vision.Sources;

namespace Luna.Vision.Tests.Sources;

public class DataSourceTests
{
    [Fact]
    public void A_file_is_a_split_a_fashion_mnist_folder_is_fashion_mnist_and_any_other_folder_an_image_folder()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("split.txt"), "a.png 0\n");
        Directory.CreateDirectory(temp.File("images"));
        Directory.CreateDirectory(temp.File("fmnist"));
        foreach (string name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
        {
            File.WriteAllBytes(temp.File("fmnist", name), [0]);
        }
        Assert.Equal(DataSourceKind.Split, DataSource.Resolve(temp.File("split.txt"), null));
        Assert.Equal(DataSourceKind.Folder, DataSource.Resolve(temp.File("images"), null));
        Assert.Equal(DataSourceKind.FashionMnist, DataSource.Resolve(temp.File("fmnist"), null));
        Assert.Equal(DataSourceKind.FashionMnist, DataSource.Resolve(null, null));
        Assert.Equal(DataSourceKind.Folder, DataSource.Resolve(temp.File("fmnist"), "folder"));
        Assert.Equal("--source: value 'zip' is not one of folder, split, fashion-mnist", Assert.Throws<LunaInputException>(() => DataSource.Resolve(temp.Path, "zip")).Message);
        Assert.StartsWith($"{temp.File("none")}: not found", Assert.Throws<LunaInputException>(() => DataSource.Resolve(temp.File("none"), null)).Message);
        Assert.Equal(["a", "b c"], DataSource.ParseNames(" a, b c ,"));
    }
}
