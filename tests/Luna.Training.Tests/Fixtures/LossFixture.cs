using System.Text.Json;

namespace Luna.Training.Tests.Fixtures;

/// <summary>The reference values of Fixtures/loss_fixtures.json (made by make_loss_fixtures.py with PyTorch 1.13).</summary>
internal sealed class LossFixture
{
    private readonly JsonElement _root;

    private LossFixture(JsonElement root) => _root = root;

    public static LossFixture Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "loss_fixtures.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return new LossFixture(document.RootElement.Clone());
    }

    public int M => _root.GetProperty("m").GetInt32();

    public int D => _root.GetProperty("d").GetInt32();

    public int K => _root.GetProperty("k").GetInt32();

    public double Number(string name) => _root.GetProperty(name).GetDouble();

    public float[] Floats(string name) => _root.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public double[] Doubles(string name) => _root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public int[] Ints(string name) => _root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
