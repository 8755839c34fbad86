using System.Text.Json;
using Luna.Core.Data;
using Luna.Core.LongTail;

namespace Luna.Core.Tests.Data;

public class FmnistOltTests
{
    // Synthetic Fashion-MNIST-like sets of 2×2 images whose pixels encode (index low byte, index high byte, label, source id),
    // so that every chosen image can be traced back to its source row.
    private static ImageSet Synthetic(int perClass, byte sourceId, int classes = 10)
    {
        int n = perClass * classes;
        var pixels = new byte[n * 4];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = (i * 7) % classes;
            pixels[(i * 4) + 0] = (byte)(i & 0xFF);
            pixels[(i * 4) + 1] = (byte)(i >> 8);
            pixels[(i * 4) + 2] = (byte)labels[i];
            pixels[(i * 4) + 3] = sourceId;
        }
        return new ImageSet(pixels, 2, 2, labels);
    }

    private static readonly FmnistOltOptions s_small = new() { NMax = 30, Ratio = 10, ValidationPerClass = 2, CrossPerDigit = 3 };

    private static FmnistOltBenchmark BuildSmall(FmnistOltOptions? options = null, bool withDigits = true) =>
        FmnistOlt.Build(Synthetic(40, 1), Synthetic(8, 2), withDigits ? Synthetic(5, 3) : null, options ?? s_small);

    [Fact]
    public void Training_counts_follow_the_fixed_head_to_tail_order()
    {
        // exp counts 30, 20, 14, 9, 6, 4, 3 (numpy) given head to tail to T-shirt, Trouser, Sandal, Pullover, Dress, Ankle boot, Coat.
        FmnistOltBenchmark b = BuildSmall();
        Assert.Equal(new[] { 30, 20, 9, 6, 3, 14, 4 }, b.TrainCounts);
        var counts = new int[7];
        foreach (int label in b.Train.Labels)
        {
            counts[label]++;
        }
        Assert.Equal(b.TrainCounts, counts);
        Assert.Equal(new[] { "T-shirt/top", "Trouser", "Sandal", "Pullover", "Dress", "Ankle boot", "Coat" }, b.Manifest.HeadToTail);
    }

    [Fact]
    public void Known_classes_are_remapped_to_0_6_in_source_order()
    {
        FmnistOltBenchmark b = BuildSmall();
        Assert.Equal(new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Ankle boot" }, b.ClassNames);
        int[] sourceOf = [0, 1, 2, 3, 4, 5, 9];
        foreach (ImageSet set in new[] { b.Train, b.Validation })
        {
            for (int i = 0; i < set.Count; i++)
            {
                int source = set.Image(i)[2];
                Assert.Equal(sourceOf[set.Labels[i]], source);
                Assert.Equal(source, set.Tags![i].SourceClass);
                Assert.Equal(FashionMnist.ClassNames[source], set.Tags[i].SourceClassName);
                Assert.Equal(OpenSetGroup.Known, set.Tags[i].Group);
                Assert.Equal(set.Tags[i].SourceIndex, set.Image(i)[0] | (set.Image(i)[1] << 8));
                Assert.Equal(1, set.Image(i)[3]);
            }
        }
    }

    [Fact]
    public void Validation_has_the_asked_count_per_class_and_no_training_image()
    {
        FmnistOltBenchmark b = BuildSmall();
        Assert.Equal(14, b.Validation.Count);
        Assert.All(Enumerable.Range(0, 7), c => Assert.Equal(2, b.Validation.Labels.ToArray().Count(l => l == c)));
        var train = b.Train.Tags!.Select(t => t.SourceIndex).ToHashSet();
        Assert.All(b.Validation.Tags!, t => Assert.DoesNotContain(t.SourceIndex, train));
        Assert.Equal(b.Train.Count, train.Count);
    }

    [Fact]
    public void Test_keeps_every_test_image_with_unknowns_labelled_minus_one_and_tagged_by_group()
    {
        FmnistOltBenchmark b = BuildSmall();
        Assert.Equal(80 + 30, b.Test.Count);
        for (int i = 0; i < 80; i++)
        {
            SampleTag tag = b.Test.Tags![i];
            int source = b.Test.Image(i)[2];
            Assert.Equal(i, tag.SourceIndex);
            Assert.Equal("fashion-mnist/test", tag.Source);
            Assert.Equal(source, tag.SourceClass);
            (int label, OpenSetGroup group) = source switch
            {
                6 or 7 => (-1, OpenSetGroup.Near),
                8 => (-1, OpenSetGroup.Far),
                9 => (6, OpenSetGroup.Known),
                _ => (source, OpenSetGroup.Known),
            };
            Assert.Equal(label, b.Test.Labels[i]);
            Assert.Equal(group, tag.Group);
        }
        for (int i = 80; i < b.Test.Count; i++)
        {
            SampleTag tag = b.Test.Tags![i];
            Assert.Equal(-1, b.Test.Labels[i]);
            Assert.Equal(OpenSetGroup.Cross, tag.Group);
            Assert.Equal(3, tag.HierarchyDistance);
            Assert.Equal("mnist", tag.Source);
            Assert.Equal(3, b.Test.Image(i)[3]);
            Assert.Equal($"digit {tag.SourceClass}", tag.SourceClassName);
        }
        Assert.All(Enumerable.Range(0, 10), d => Assert.Equal(3, b.Test.Tags!.Count(t => t.Group == OpenSetGroup.Cross && t.SourceClass == d)));
        Assert.Equal(new SplitSizes(86, 14, 110, 56, 16, 8, 30), b.Manifest.Splits);
    }

    [Fact]
    public void All_digits_are_used_when_no_per_digit_count_is_set()
    {
        FmnistOltBenchmark b = BuildSmall(s_small with { CrossPerDigit = null });
        Assert.Equal(50, b.Manifest.Splits.TestCross);
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_other_training_images_but_the_same_test()
    {
        FmnistOltBenchmark a = BuildSmall();
        FmnistOltBenchmark again = BuildSmall();
        FmnistOltBenchmark other = BuildSmall(s_small with { Seed = 1 });
        Assert.Equal(a.Manifest.SplitFingerprint, again.Manifest.SplitFingerprint);
        Assert.Equal(a.Train.Pixels.ToArray(), again.Train.Pixels.ToArray());
        Assert.NotEqual(a.Manifest.SplitFingerprint, other.Manifest.SplitFingerprint);
        Assert.NotEqual(a.Train.Tags!.Select(t => t.SourceIndex), other.Train.Tags!.Select(t => t.SourceIndex));
        Assert.Equal(a.Test.Tags!.Select(t => t.SourceIndex), other.Test.Tags!.Select(t => t.SourceIndex));
        Assert.Equal(a.TrainCounts, other.TrainCounts);
    }

    [Fact]
    public void Seeded_rank_order_permutes_the_same_counts_and_the_manifest_records_it()
    {
        FmnistOltBenchmark b = BuildSmall(s_small with { RankOrder = RankOrder.Seed, Seed = 4 });
        Assert.Equal(new[] { 30, 20, 14, 9, 6, 4, 3 }, b.TrainCounts.OrderDescending());
        Assert.Equal(RankOrder.Seed, b.Manifest.RankOrder);
        for (int r = 0; r < 7; r++)
        {
            KnownClassEntry entry = b.Manifest.KnownClasses.Single(e => e.Name == b.Manifest.HeadToTail[r]);
            Assert.Equal(r, entry.Rank);
            Assert.Equal(b.TrainCounts[entry.Label], entry.TrainCount);
        }
    }

    [Fact]
    public void Without_digits_the_test_has_no_cross_group_and_a_note_says_so()
    {
        FmnistOltBenchmark b = BuildSmall(withDigits: false);
        Assert.False(b.HasCrossDomain);
        Assert.Equal(0, b.Manifest.Splits.TestCross);
        Assert.Equal(80, b.Test.Count);
        Assert.Single(b.Notes);
        Assert.Contains("cross-domain", b.Notes[0]);
        Assert.Equal(b.Notes[0], b.Manifest.CrossDomain.Note);
        Assert.DoesNotContain(b.Manifest.UnknownClasses, u => u.Group == OpenSetGroup.Cross);
    }

    [Fact]
    public void Manifest_json_has_the_settings_classes_hierarchy_and_reads_back()
    {
        FmnistOltBenchmark b = BuildSmall();
        string json = b.Manifest.ToJson();
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.Equal("FMNIST-OLT", root.GetProperty("benchmark").GetString());
        Assert.Equal("exp", root.GetProperty("profile").GetString());
        Assert.Equal("fixed", root.GetProperty("rankOrder").GetString());
        Assert.Equal(10.0, root.GetProperty("ratio").GetDouble());
        Assert.False(root.TryGetProperty("paretoAlpha", out _));
        JsonElement coat = root.GetProperty("knownClasses")[4];
        Assert.Equal("Coat", coat.GetProperty("name").GetString());
        Assert.Equal(4, coat.GetProperty("sourceClass").GetInt32());
        Assert.Equal(3, coat.GetProperty("trainCount").GetInt32());
        Assert.Equal(6, coat.GetProperty("rank").GetInt32());
        Assert.Equal("few", coat.GetProperty("shotGroup").GetString());
        Assert.Equal("tops", coat.GetProperty("superClass").GetString());
        JsonElement bag = root.GetProperty("unknownClasses").EnumerateArray().Single(u => u.GetProperty("name").GetString() == "Bag");
        Assert.Equal("far", bag.GetProperty("group").GetString());
        Assert.Equal(2, bag.GetProperty("hierarchyDistance").GetInt32());
        Assert.Equal(5, root.GetProperty("hierarchy").GetArrayLength());

        using var temp = new TestData.TempFolder();
        string path = temp.File("data-manifest.json");
        b.Manifest.Write(path);
        FmnistOltManifest back = FmnistOltManifest.Read(path);
        Assert.Equal(b.Manifest.SplitFingerprint, back.SplitFingerprint);
        Assert.Equal(b.Manifest.Splits, back.Splits);
        Assert.Equal(b.Manifest.HeadToTail, back.HeadToTail);
        Assert.Equal(b.Manifest.KnownClasses[6].ShotGroup, back.KnownClasses[6].ShotGroup);
        Assert.Equal(OpenSetGroup.Near, back.UnknownClasses[0].Group);
    }

    [Fact]
    public void Pareto_profile_is_recorded_with_its_own_settings()
    {
        FmnistOltBenchmark b = BuildSmall(s_small with { Profile = LongTailProfile.Pareto, NMin = 3 });
        Assert.Equal(30, b.TrainCounts.Max());
        Assert.Equal(3, b.TrainCounts.Min());
        Assert.Null(b.Manifest.Ratio);
        Assert.Equal(3, b.Manifest.NMin);
        Assert.Equal(6.0, b.Manifest.ParetoAlpha);
        Assert.Contains("\"pareto\"", b.Manifest.ToJson());
    }

    [Fact]
    public void A_label_outside_0_9_is_an_error_naming_the_sample()
    {
        ImageSet bad = Synthetic(40, 1).WithLabels(Enumerable.Range(0, 400).Select(i => i == 17 ? 10 : i % 10).ToArray(), null);
        var ex = Assert.Throws<LunaInputException>(() => FmnistOlt.Build(bad, Synthetic(8, 2), null, s_small));
        Assert.Contains("sample 17 has label 10", ex.Message);
    }

    [Fact]
    public void Too_few_source_images_for_the_counts_is_an_error()
    {
        var ex = Assert.Throws<LunaInputException>(() => FmnistOlt.Build(Synthetic(20, 1), Synthetic(8, 2), null, s_small));
        Assert.Contains("fashion-mnist train", ex.Message);
        Assert.Contains("class 0 has 20 images", ex.Message);
    }

    [Fact]
    public void Shot_groups_of_the_benchmark_counts_are_all_non_empty()
    {
        int[] counts = LongTailSampler.CountsPerClass(LongTailSampler.ExpCounts(7, 3000, 300), FmnistOlt.FixedHeadToTail);
        ShotGroup[] groups = counts.Select(ShotGroups.Of).ToArray();
        Assert.Contains(ShotGroup.Many, groups);
        Assert.Contains(ShotGroup.Medium, groups);
        Assert.Contains(ShotGroup.Few, groups);
    }
}
