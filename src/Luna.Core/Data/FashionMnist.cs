namespace Luna.Core.Data;

/// <summary>
/// Facts about Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, <see href="https://github.com/zalandoresearch/fashion-mnist"/>):
/// 70,000 grey 28×28 images of 10 clothing classes, 60,000 for training and 10,000 for testing (6,000 and 1,000 per class),
/// published as four IDX files.
/// </summary>
public static class FashionMnist
{
    /// <summary>Image height and width, 28.</summary>
    public const int ImageSize = 28;

    /// <summary>The ten class names, indexed by the label stored in the IDX files.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// The hierarchy used for the unfamiliarity check (docs/data.md): tops {0, 2, 4, 6}, bottoms {1},
    /// dresses {3}, footwear {5, 7, 9}, bags {8}.
    /// </summary>
    public static ClassHierarchy Hierarchy { get; } = new(
    [
        new SuperClass("tops", [0, 2, 4, 6]),
        new SuperClass("bottoms", [1]),
        new SuperClass("dresses", [3]),
        new SuperClass("footwear", [5, 7, 9]),
        new SuperClass("bags", [8]),
    ]);

    /// <summary>Base name of the training image file (<c>.gz</c> optional).</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>Base name of the training label file (<c>.gz</c> optional).</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>Base name of the test image file (<c>.gz</c> optional).</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>Base name of the test label file (<c>.gz</c> optional).</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>
    /// SHA-256 of the decompressed content of each file, the same for the official downloads and the Debian package
    /// (whose .gz files are compressed differently). <c>scripts/get-data.sh</c> checks downloads against these values.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ContentSha256 { get; } = new Dictionary<string, string>
    {
        [TrainImagesFile] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        [TrainLabelsFile] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        [TestImagesFile] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        [TestLabelsFile] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };
}
