namespace Luna.Core.Tests;

/// <summary>Paths of the checked-in fixtures (copied beside the test assembly).</summary>
internal static class Fixture
{
    public static string Path(params string[] parts)
        => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", System.IO.Path.Combine(parts));
}
