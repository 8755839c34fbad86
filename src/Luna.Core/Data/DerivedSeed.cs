using System.Text;

namespace Luna.Core.Data;

/// <summary>
/// Derives an independent, stable seed for one random choice from a run's seed and a purpose string, so that
/// each choice (rank order, images of class 3, cross-domain sample, ...) has its own <see cref="System.Random"/>
/// stream and changing one choice does not move another.
/// </summary>
/// <remarks>
/// seed' = low 31 bits of splitmix64(FNV-1a-64(UTF-8 purpose) XOR (seed × 0x9E3779B97F4A7C15)).
/// Stable across processes and .NET versions (it does not use <see cref="string.GetHashCode()"/>, which is randomised).
/// </remarks>
internal static class DerivedSeed
{
    public static int Of(int seed, string purpose)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(purpose))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        ulong z = hash ^ unchecked((ulong)(long)seed * 0x9E3779B97F4A7C15UL);
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFFUL);
    }

    /// <summary>Fisher–Yates shuffle in place: for i from n-1 down to 1, swap i with random.Next(i + 1).</summary>
    public static void Shuffle(Span<int> values, Random random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
