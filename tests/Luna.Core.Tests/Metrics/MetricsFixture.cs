using System.Text.Json;

namespace Luna.Core.Tests.Metrics;

/// <summary>
/// The expected values made by <c>Fixtures/metrics/make_metrics_fixtures.py</c> (scikit-learn 1.2.1, scipy, numpy).
/// </summary>
internal static class MetricsFixture
{
    private static readonly Lazy<JsonElement> s_expected = new(() =>
    {
        using FileStream stream = File.OpenRead(Path("expected.json"));
        using JsonDocument doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    });

    public static JsonElement Expected => s_expected.Value;

    public static string Path(string file) => Fixture.Path("metrics", file);

    public static IEnumerable<object[]> CaseIndices(string section)
    {
        int count = Expected.GetProperty(section).GetArrayLength();
        for (int i = 0; i < count; i++)
        {
            yield return new object[] { i };
        }
    }

    public static double[] Doubles(JsonElement array)
    {
        var result = new double[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            result[i++] = e.GetDouble();
        }
        return result;
    }

    public static bool[] Bools(JsonElement array)
    {
        var result = new bool[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            result[i++] = e.GetBoolean();
        }
        return result;
    }

    public static double Number(JsonElement e, string name) => e.GetProperty(name).GetDouble();
}
