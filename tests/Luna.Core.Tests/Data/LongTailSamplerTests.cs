using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class LongTailSamplerTests
{
    [Fact]
    public void Exp_profile_with_n_max_3000_ratio_300_and_7_classes_gives_the_benchmark_counts()
    {
        // numpy: floor(3000 * 300 ** (-r / 6) + 0.5) = 3000, 1159, 448, 173, 67, 26, 10 (1159.49, 448.14, 173.21, 66.94, 25.87).
        Assert.Equal(new[] { 3000, 1159, 448, 173, 67, 26, 10 }, LongTailSampler.ExpCounts(7, 3000, 300));
    }

    [Fact]
    public void Exp_profile_rounds_to_nearest()
    {
        // numpy: 30 * 10 ** (-r / 6) = 30, 20.44, 13.92, 9.49, 6.46, 4.40, 3.
        Assert.Equal(new[] { 30, 20, 14, 9, 6, 4, 3 }, LongTailSampler.ExpCounts(7, 30, 10));
    }

    [Fact]
    public void Exp_profile_with_one_class_or_ratio_one_is_flat()
    {
        Assert.Equal(new[] { 50 }, LongTailSampler.ExpCounts(1, 50, 100));
        Assert.Equal(new[] { 50, 50, 50 }, LongTailSampler.ExpCounts(3, 50, 1));
    }

    [Theory]
    [InlineData(0, 3000, 300.0, "number of classes")]
    [InlineData(7, 0, 300.0, "n-max")]
    [InlineData(7, 3000, 0.5, "ratio")]
    [InlineData(7, 3000, double.NaN, "ratio")]
    [InlineData(7, 10, 100.0, "tail class 0 images")]
    public void Exp_profile_settings_out_of_range_are_errors_quoting_the_value(int k, int nMax, double ratio, string expected)
    {
        var ex = Assert.Throws<LunaInputException>(() => LongTailSampler.ExpCounts(k, nMax, ratio));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Pareto_rule_matches_numpy_for_given_uniform_draws()
    {
        // numpy: x = sort((1 - u) ** (-1 / a))[::-1]; n = floor(n_min + (x - x.min()) / (x.max() - x.min()) * (n_max - n_min) + 0.5)
        // u = [.1, .5, .9, .99, .3, .75], a = 6, [10, 3000] -> 3000, 1194, 647, 286, 125, 10.
        Assert.Equal(new[] { 3000, 1194, 647, 286, 125, 10 }, LongTailSampler.ParetoCountsFromUniforms([0.1, 0.5, 0.9, 0.99, 0.3, 0.75], 10, 3000, 6.0));
        // u = [.2, .6, .95], a = 2, [5, 1280] -> 1280, 181, 5.
        Assert.Equal(new[] { 1280, 181, 5 }, LongTailSampler.ParetoCountsFromUniforms([0.2, 0.6, 0.95], 5, 1280, 2.0));
    }

    [Fact]
    public void Pareto_counts_run_from_n_max_down_to_n_min_and_depend_only_on_the_seed()
    {
        int[] a = LongTailSampler.ParetoCounts(20, 10, 3000, 6.0, seed: 5);
        Assert.Equal(3000, a[0]);
        Assert.Equal(10, a[^1]);
        for (int r = 1; r < a.Length; r++)
        {
            Assert.True(a[r] <= a[r - 1]);
        }
        Assert.Equal(a, LongTailSampler.ParetoCounts(20, 10, 3000, 6.0, seed: 5));
        Assert.NotEqual(a, LongTailSampler.ParetoCounts(20, 10, 3000, 6.0, seed: 6));
    }

    [Theory]
    [InlineData(0, 3000, 6.0, "n-min")]
    [InlineData(3001, 3000, 6.0, "n-min")]
    [InlineData(10, 3000, 0.0, "alpha")]
    public void Pareto_settings_out_of_range_are_errors_quoting_the_value(int nMin, int nMax, double alpha, string expected)
    {
        var ex = Assert.Throws<LunaInputException>(() => LongTailSampler.ParetoCounts(7, nMin, nMax, alpha, 0));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Fixed_rank_order_is_the_given_order_and_seeded_order_a_seed_determined_permutation()
    {
        Assert.Equal(new[] { 0, 1, 2, 3 }, LongTailSampler.HeadToTailOrder(4, RankOrder.Fixed, 9));
        Assert.Equal(new[] { 2, 0, 3, 1 }, LongTailSampler.HeadToTailOrder(4, RankOrder.Fixed, 9, [2, 0, 3, 1]));
        Assert.Throws<ArgumentException>(() => LongTailSampler.HeadToTailOrder(3, RankOrder.Fixed, 0, [0, 0, 1]));

        int[] seeded = LongTailSampler.HeadToTailOrder(7, RankOrder.Seed, 3);
        Assert.Equal(Enumerable.Range(0, 7), seeded.Order());
        Assert.Equal(seeded, LongTailSampler.HeadToTailOrder(7, RankOrder.Seed, 3));
        var distinct = new HashSet<string>();
        for (int seed = 0; seed < 10; seed++)
        {
            distinct.Add(string.Join(",", LongTailSampler.HeadToTailOrder(7, RankOrder.Seed, seed)));
        }
        Assert.True(distinct.Count > 5, $"only {distinct.Count} different orders from 10 seeds");
    }

    [Fact]
    public void Counts_per_class_follow_the_head_to_tail_order()
    {
        Assert.Equal(new[] { 20, 5, 100 }, LongTailSampler.CountsPerClass([100, 20, 5], [2, 0, 1]));
    }

    [Fact]
    public void Select_keeps_the_asked_counts_and_holds_out_a_disjoint_set()
    {
        int[] labels = MakeLabels(classes: 4, perClass: 50, extraUnknown: 30);
        LongTailSelection s = LongTailSampler.Select(labels, [40, 10, 3, 0], seed: 1, holdOutPerClass: 5);
        Assert.Equal(new[] { 40, 10, 3, 0 }, CountByClass(labels, s.Kept, 4));
        Assert.Equal(new[] { 5, 5, 5, 5 }, CountByClass(labels, s.HeldOut, 4));
        Assert.Empty(s.Kept.Intersect(s.HeldOut));
        Assert.All(s.Kept.Concat(s.HeldOut), i => Assert.InRange(labels[i], 0, 3));
        Assert.Equal(s.Kept.Order(), s.Kept);
        Assert.Equal(s.Kept.Length, s.Kept.Distinct().Count());
    }

    [Fact]
    public void Select_is_deterministic_per_seed_and_nested_across_counts()
    {
        int[] labels = MakeLabels(classes: 3, perClass: 100, extraUnknown: 0);
        LongTailSelection a = LongTailSampler.Select(labels, [30, 30, 30], seed: 7, holdOutPerClass: 10);
        LongTailSelection b = LongTailSampler.Select(labels, [30, 30, 30], seed: 7, holdOutPerClass: 10);
        LongTailSelection c = LongTailSampler.Select(labels, [30, 30, 30], seed: 8, holdOutPerClass: 10);
        LongTailSelection small = LongTailSampler.Select(labels, [5, 30, 30], seed: 7, holdOutPerClass: 10);
        Assert.Equal(a.Kept, b.Kept);
        Assert.Equal(a.HeldOut, b.HeldOut);
        Assert.NotEqual(a.Kept, c.Kept);
        Assert.Equal(a.HeldOut, small.HeldOut);
        Assert.Subset(a.Kept.ToHashSet(), small.Kept.ToHashSet());
        // Changing class 0's count does not move the images of the other classes.
        Assert.Equal(a.Kept.Where(i => labels[i] != 0), small.Kept.Where(i => labels[i] != 0));
    }

    [Fact]
    public void Select_with_too_few_images_is_an_error_naming_the_class_and_counts()
    {
        int[] labels = MakeLabels(classes: 2, perClass: 10, extraUnknown: 0);
        var ex = Assert.Throws<LunaInputException>(() => LongTailSampler.Select(labels, [5, 9], seed: 0, holdOutPerClass: 2, source: "mine"));
        Assert.Contains("mine", ex.Message);
        Assert.Contains("class 1 has 10 images", ex.Message);
        Assert.Contains("9 to keep plus 2", ex.Message);
    }

    [Fact]
    public void Derived_seeds_match_an_independent_python_implementation()
    {
        // Python (FNV-1a 64 of the purpose, XOR seed * 0x9E3779B97F4A7C15, splitmix64 finaliser, low 31 bits).
        Assert.Equal(1308999984, DerivedSeed.Of(0, "rank-order"));
        Assert.Equal(1369485257, DerivedSeed.Of(1, "rank-order"));
        Assert.Equal(1440859309, DerivedSeed.Of(42, "select/3"));
        Assert.Equal(386252008, DerivedSeed.Of(-7, "pareto-counts"));
    }

    private static int[] MakeLabels(int classes, int perClass, int extraUnknown)
    {
        var labels = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            for (int c = 0; c < classes; c++)
            {
                labels.Add(c);
            }
        }
        for (int i = 0; i < extraUnknown; i++)
        {
            labels.Insert(i * 3, i % 2 == 0 ? -1 : classes + 1);
        }
        return labels.ToArray();
    }

    private static int[] CountByClass(int[] labels, int[] indices, int classes)
    {
        var counts = new int[classes];
        foreach (int i in indices)
        {
            counts[labels[i]]++;
        }
        return counts;
    }
}
