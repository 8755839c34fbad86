using Luna.Vision.Backbones;

namespace Luna.Vision.Tests.Backbones;

public class FeatureCacheTests
{
    [Fact]
    public void Stored_features_come_back_and_a_file_of_the_wrong_length_counts_as_absent()
    {
        using var temp = new TempFolder();
        var cache = new FeatureCache(temp.Path, "backbone-x", 3);
        string sha = new string('a', 64);
        var buffer = new float[3];
        Assert.False(cache.TryGet(sha, buffer));
        cache.Put(sha, [1f, -2.5f, 3.25f]);
        Assert.True(cache.TryGet(sha, buffer));
        Assert.Equal([1f, -2.5f, 3.25f], buffer);
        string file = Path.Combine(temp.Path, "backbone-x", "aa", sha + ".f32");
        Assert.Equal(12, new FileInfo(file).Length);
        File.WriteAllBytes(file, new byte[8]);
        Assert.False(cache.TryGet(sha, buffer));
        var other = new FeatureCache(temp.Path, "backbone-y", 3);
        Assert.False(other.TryGet(sha, buffer));
    }
}
