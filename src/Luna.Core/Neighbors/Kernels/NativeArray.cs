using System.Runtime.InteropServices;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// A zero-initialised, 64-byte aligned block of unmanaged memory for the large temporary buffers of a search (distance
/// tiles, candidate state). Unlike a managed array it is returned to the system the moment it is disposed, so the
/// buffers of one search never linger as garbage under the next one and the process's peak memory stays near the
/// inputs plus one search's buffers. A finalizer frees a block that was not disposed.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
internal sealed unsafe class NativeArray<T> : IDisposable
    where T : unmanaged
{
    private T* _pointer;

    /// <summary>Allocates <paramref name="length"/> zeroed elements.</summary>
    public NativeArray(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        Length = (int)length;
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        _pointer = (T*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_pointer, bytes);
    }

    /// <summary>Frees the block if it was not disposed.</summary>
    ~NativeArray()
    {
        Free();
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The first element (valid until disposed).</summary>
    public T* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer is null, this);
            return _pointer;
        }
    }

    /// <summary>The whole block.</summary>
    public Span<T> Span => new(Pointer, Length);

    /// <summary>Elements [start, start + length).</summary>
    public Span<T> Slice(long start, int length)
    {
        if (start < 0 || length < 0 || start + length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start + length}) is outside 0..{Length}.");
        }
        return new Span<T>(Pointer + start, length);
    }

    /// <summary>Returns the memory to the system.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_pointer is not null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
