namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// The k best (smallest key, ties to the lower index) entries of each of <paramref name="Rows"/> rows, row-major:
/// row i, rank r at <c>i·K + r</c>, ascending by (key, index). A row with fewer than K entries offered has
/// <c>Counts[i]</c> &lt; K valid entries; the rest hold key = +∞ (the type's maximum for integers) and index −1.
/// </summary>
/// <typeparam name="T">Key type: float32 squared distances from a distance tile, or double exact squared distances.</typeparam>
/// <param name="Rows">Number of rows (queries).</param>
/// <param name="K">Entries kept per row.</param>
/// <param name="Keys">Keys, Rows × K.</param>
/// <param name="Indices">Reference indices, Rows × K.</param>
/// <param name="Counts">Valid entries per row, ≤ K.</param>
internal sealed record TopKResult<T>(int Rows, int K, T[] Keys, int[] Indices, int[] Counts)
{
    /// <summary>The valid keys of row <paramref name="row"/>, ascending.</summary>
    public ReadOnlySpan<T> KeysOf(int row) => Keys.AsSpan(row * K, Counts[row]);

    /// <summary>The valid indices of row <paramref name="row"/>, in key order.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => Indices.AsSpan(row * K, Counts[row]);
}
