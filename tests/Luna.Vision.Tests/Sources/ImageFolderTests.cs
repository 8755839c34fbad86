using Luna.Core;
using Luna.Vision.Sources;

namespace Luna.Vision.Tests.Sources;

public class ImageFolderTests
{
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
    }

    [Fact]
    public void Classes_are_the_sorted_folder_names_and_unknown_folders_get_label_minus_one()
    {
        using var temp = new TempFolder();
        Touch(temp.File("zebra", "1.png"));
        Touch(temp.File("ant", "b.jpg"));
        Touch(temp.File("ant", "a.JPEG"));
        Touch(temp.File("ant", "notes.txt"));
        Touch(temp.File("ant", "sub", "c.webp"));
        Touch(temp.File("moth", "x.bmp"));
        ImageCollection c = ImageFolder.Read(temp.Path, ["moth"]);
        Assert.Equal(["ant", "zebra"], c.ClassNames);
        Assert.Equal(
            [("ant", 0, "a.JPEG"), ("ant", 0, "b.jpg"), ("ant", 0, "c.webp"), ("moth", -1, "x.bmp"), ("zebra", 1, "1.png")],
            c.Entries.Select(e => (e.SourceClass, e.Label, Path.GetFileName(e.Path))).ToArray());
        Assert.Equal([3, 1], c.CountPerClass());
        Assert.Equal(1, c.UnknownCount);
    }

    [Fact]
    public void An_empty_class_folder_is_bad_input_naming_it()
    {
        using var temp = new TempFolder();
        Touch(temp.File("ant", "a.png"));
        Touch(temp.File("bee", "readme.txt"));
        var e = Assert.Throws<LunaInputException>(() => ImageFolder.Read(temp.Path));
        Assert.Equal($"{temp.File("bee")}: class folder 'bee' has no images (.png, .jpg, .jpeg, .bmp, .webp)", e.Message);
    }

    [Fact]
    public void An_unknown_class_that_is_not_a_folder_is_bad_input()
    {
        using var temp = new TempFolder();
        Touch(temp.File("ant", "a.png"));
        Touch(temp.File("bee", "a.png"));
        var e = Assert.Throws<LunaInputException>(() => ImageFolder.Read(temp.Path, ["wasp"]));
        Assert.StartsWith("--unknown-classes: value 'wasp' is not a class folder of", e.Message);
    }

    [Fact]
    public void A_folder_with_one_known_class_or_none_is_bad_input()
    {
        using var temp = new TempFolder();
        Assert.Contains("has no class folders", Assert.Throws<LunaInputException>(() => ImageFolder.Read(temp.Path)).Message);
        Touch(temp.File("ant", "a.png"));
        Touch(temp.File("bee", "a.png"));
        Assert.Contains("has 1 known class folder; at least 2 are needed", Assert.Throws<LunaInputException>(() => ImageFolder.Read(temp.Path, ["bee"])).Message);
        Assert.Equal($"{temp.File("nowhere")}: folder not found", Assert.Throws<LunaInputException>(() => ImageFolder.Read(temp.File("nowhere"))).Message);
    }

    [Fact]
    public void For_a_model_folders_are_matched_by_class_name_and_other_folders_are_unknown()
    {
        using var temp = new TempFolder();
        Touch(temp.File("bee", "a.png"));
        Touch(temp.File("ant", "a.png"));
        Touch(temp.File("wasp", "a.png"));
        ImageCollection c = ImageFolder.ReadForModel(temp.Path, ["bee", "ant"]);
        Assert.Equal([("ant", 1), ("bee", 0), ("wasp", -1)], c.Entries.Select(e => (e.SourceClass, e.Label)).ToArray());
        ImageCollection marked = ImageFolder.ReadForModel(temp.Path, ["bee", "ant"], ["bee"]);
        Assert.Equal([1, -1, -1], marked.Entries.Select(e => e.Label).ToArray());
    }
}
