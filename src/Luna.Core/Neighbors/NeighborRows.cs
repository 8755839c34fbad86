using Luna.Core.Neighbors.Kernels;

namespace Luna.Core.Neighbors;

/// <summary>
/// A k-NN result like <see cref="NeighborResult"/> (rows sorted by distance, ties to the lower index) that may live in
/// unmanaged memory, released by <see cref="Dispose"/>; for results read once and dropped (the self-join behind local
/// densities), so that they do not stay resident as garbage.
/// </summary>
internal sealed unsafe class NeighborRows : IDisposable
{
    private readonly NeighborResult? _managed;
    private readonly NativeArray<int>? _indices;
    private readonly NativeArray<double>? _distances;
    private readonly NativeArray<int>? _counts;

    /// <summary>Wraps a managed result.</summary>
    public NeighborRows(NeighborResult result)
    {
        _managed = result;
        Rows = result.Rows;
        K = result.K;
    }

    /// <summary>Allocates rows × k unmanaged entries (filled by the caller through the pointers).</summary>
    public NeighborRows(int rows, int k)
    {
        Rows = rows;
        K = k;
        _indices = new NativeArray<int>((long)rows * k);
        _distances = new NativeArray<double>((long)rows * k);
        _counts = new NativeArray<int>(rows);
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Neighbours per row.</summary>
    public int K { get; }

    /// <summary>The unmanaged index block (rows × k).</summary>
    public int* IndexPointer => _indices!.Pointer;

    /// <summary>The unmanaged distance block (rows × k), squared until <see cref="TakeSquareRoots"/>.</summary>
    public double* DistancePointer => _distances!.Pointer;

    /// <summary>The unmanaged per-row counts.</summary>
    public int* CountPointer => _counts!.Pointer;

    /// <summary>Replaces the squared distances by distances and checks that every row is full.</summary>
    public void TakeSquareRoots()
    {
        Span<double> distances = _distances!.Span;
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = Math.Sqrt(distances[i]);
        }
        foreach (int count in _counts!.Span)
        {
            if (count != K)
            {
                throw new InvalidOperationException($"a row has {count} neighbours, fewer than k = {K}.");
            }
        }
    }

    /// <summary>The neighbour indices of row <paramref name="row"/>, nearest first.</summary>
    public ReadOnlySpan<int> IndicesOf(int row) => _managed is not null ? _managed.IndicesOf(row) : _indices!.Slice((long)row * K, K);

    /// <summary>The neighbour distances of row <paramref name="row"/>, ascending.</summary>
    public ReadOnlySpan<double> DistancesOf(int row) => _managed is not null ? _managed.DistancesOf(row) : _distances!.Slice((long)row * K, K);

    /// <summary>Frees the unmanaged entries, if any.</summary>
    public void Dispose()
    {
        _indices?.Dispose();
        _distances?.Dispose();
        _counts?.Dispose();
    }
}
