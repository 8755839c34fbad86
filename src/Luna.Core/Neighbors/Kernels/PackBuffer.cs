using System.Collections.Concurrent;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// Packing buffers of one kernel instance, reused from call to call: 64-byte aligned unmanaged blocks of a fixed length,
/// kept in a bag that holds only as many as were ever in use at once (one per concurrently working thread), whichever
/// threads those were. (A per-thread pool would keep a set for every thread-pool thread that ever ran a kernel task.)
/// </summary>
internal sealed class PackPool
{
    private readonly ConcurrentBag<NativeArray<float>> _free = [];

    /// <summary>Creates a pool of blocks of <paramref name="length"/> floats.</summary>
    public PackPool(int length)
    {
        Length = length;
    }

    /// <summary>Floats per pooled block.</summary>
    public int Length { get; }

    /// <summary>A block of at least <paramref name="length"/> floats: a pooled one when it fits, else a new one used once.</summary>
    public PackBuffer Rent(int length)
    {
        if (length > Length)
        {
            return new PackBuffer(new NativeArray<float>(length), null);
        }
        return new PackBuffer(_free.TryTake(out NativeArray<float>? block) ? block : new NativeArray<float>(Length), this);
    }

    /// <summary>Puts a block back.</summary>
    public void Return(NativeArray<float> block) => _free.Add(block);
}

/// <summary>A packing buffer rented from a <see cref="PackPool"/>; disposing returns it (or frees a one-off block).</summary>
internal readonly unsafe struct PackBuffer : IDisposable
{
    private readonly NativeArray<float> _block;
    private readonly PackPool? _pool;

    public PackBuffer(NativeArray<float> block, PackPool? pool)
    {
        _block = block;
        _pool = pool;
    }

    /// <summary>The 64-byte aligned start of the buffer.</summary>
    public float* Pointer => _block.Pointer;

    /// <summary>Returns the block to its pool, or frees it.</summary>
    public void Dispose()
    {
        if (_pool is null)
        {
            _block.Dispose();
        }
        else
        {
            _pool.Return(_block);
        }
    }
}
