using Luna.Core;
using Luna.Vision.Sources;

namespace Luna.Vision.Tests.Sources;

public class SplitFileTests
{
    private static TempFolder WithImages(params string[] relative)
    {
        var temp = new TempFolder();
        foreach (string r in relative)
        {
            string path = temp.File("images", r);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, [1]);
        }
        return temp;
    }

    [Fact]
    public void Lines_give_paths_under_the_root_and_labels_and_class_names_come_from_consistent_folders()
    {
        using TempFolder temp = WithImages("train/n01/a.JPEG", "train/n01/b b.JPEG", "train/n02/c.JPEG");
        File.WriteAllText(temp.File("train.txt"), "# ImageNet-LT style\ntrain/n01/a.JPEG 0\n\ntrain/n01/b b.JPEG\t0\ntrain/n02/c.JPEG 1\n");
        ImageCollection c = SplitFile.ReadTraining(temp.File("train.txt"), temp.File("images"));
        Assert.Equal(["n01", "n02"], c.ClassNames);
        Assert.Equal([temp.File("images", "train/n01/a.JPEG"), temp.File("images", "train/n01/b b.JPEG"), temp.File("images", "train/n02/c.JPEG")], c.Entries.Select(e => e.Path).ToArray());
        Assert.Equal([0, 0, 1], c.Entries.Select(e => e.Label).ToArray());
    }

    [Fact]
    public void Class_names_are_the_labels_when_folders_do_not_name_the_classes()
    {
        using TempFolder temp = WithImages("a.png", "b.png", "x/c.png");
        File.WriteAllText(temp.File("images", "split.txt"), "a.png 0\nb.png 1\nx/c.png 1\n");
        ImageCollection c = SplitFile.ReadTraining(temp.File("images", "split.txt"));
        Assert.Equal(["0", "1"], c.ClassNames);
    }

    [Fact]
    public void A_split_naming_a_missing_file_is_bad_input_naming_the_line_and_the_path()
    {
        using TempFolder temp = WithImages("a.png");
        File.WriteAllText(temp.File("split.txt"), "a.png 0\nmissing/b.png 1\n");
        var e = Assert.Throws<LunaInputException>(() => SplitFile.Read(temp.File("split.txt"), temp.File("images")));
        Assert.Equal($"{temp.File("split.txt")}: line 2: image 'missing/b.png' not found under {temp.File("images")}", e.Message);
    }

    [Theory]
    [InlineData("a.png zero\n", "line 1: label 'zero' is not an integer")]
    [InlineData("a.png 0\na.png -2\n", "line 2: label -2 is out of range (labels are 0..K-1, or -1 for open-set images)")]
    [InlineData("a.png\n", "line 1: 'a.png' is not 'relative/path label'")]
    [InlineData("# nothing\n", "split file lists no images")]
    public void A_malformed_line_is_bad_input_naming_the_line_and_value(string content, string expected)
    {
        using TempFolder temp = WithImages("a.png");
        File.WriteAllText(temp.File("split.txt"), content);
        var e = Assert.Throws<LunaInputException>(() => SplitFile.Read(temp.File("split.txt"), temp.File("images")));
        Assert.Equal($"{temp.File("split.txt")}: {expected}", e.Message);
    }

    [Theory]
    [InlineData("a.png 0\nb.png -1\n", "line 2: label -1 (open set) in a training split; training images need known labels 0..K-1")]
    [InlineData("a.png 0\nb.png 2\n", "class 1 has no image, but labels go up to 2; labels must be 0..K-1 without gaps")]
    [InlineData("a.png 0\nb.png 0\n", "only class 0 is present; training needs at least two classes")]
    public void A_training_split_needs_every_class_0_to_k_minus_1_and_no_open_set(string content, string expected)
    {
        using TempFolder temp = WithImages("a.png", "b.png");
        File.WriteAllText(temp.File("split.txt"), content);
        var e = Assert.Throws<LunaInputException>(() => SplitFile.ReadTraining(temp.File("split.txt"), temp.File("images")));
        Assert.Equal($"{temp.File("split.txt")}: {expected}", e.Message);
    }

    [Fact]
    public void For_a_model_a_label_of_k_or_more_is_out_of_range_and_minus_one_is_unknown()
    {
        using TempFolder temp = WithImages("a.png", "open/b.png");
        File.WriteAllText(temp.File("test.txt"), "a.png 1\nopen/b.png -1\n");
        ImageCollection c = SplitFile.ReadForModel(temp.File("test.txt"), ["x", "y"], temp.File("images"));
        Assert.Equal([(1, "y"), (-1, "open")], c.Entries.Select(e => (e.Label, e.SourceClass)).ToArray());
        File.WriteAllText(temp.File("bad.txt"), "a.png 1\na.png 2\n");
        var e = Assert.Throws<LunaInputException>(() => SplitFile.ReadForModel(temp.File("bad.txt"), ["x", "y"], temp.File("images")));
        Assert.Equal($"{temp.File("bad.txt")}: line 2: label 2 is out of range -1..1 (the model has 2 classes)", e.Message);
    }
}
