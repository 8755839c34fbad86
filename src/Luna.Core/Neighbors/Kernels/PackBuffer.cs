using System.Buffers;
using System.Runtime.InteropServices;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// A float buffer rented from <see cref="ArrayPool{T}.Shared"/> and pinned for the duration of one kernel call, exposing
/// a 64-byte aligned pointer (one cache line, one <c>Vector512</c>). Renting reuses the pool's arrays, so the kernels make
/// no large allocation per call once warm.
/// </summary>
internal unsafe struct PackBuffer : IDisposable
{
    private const int AlignFloats = 16;
    private float[]? _array;
    private GCHandle _handle;

    /// <summary>Rents a pinned buffer with room for at least <paramref name="length"/> floats after alignment.</summary>
    public static PackBuffer Rent(int length)
    {
        var buffer = new PackBuffer { _array = ArrayPool<float>.Shared.Rent(length + AlignFloats) };
        buffer._handle = GCHandle.Alloc(buffer._array, GCHandleType.Pinned);
        nint address = buffer._handle.AddrOfPinnedObject();
        nint aligned = (address + 63) & ~(nint)63;
        buffer.Pointer = (float*)aligned;
        return buffer;
    }

    /// <summary>The 64-byte aligned start of the usable region.</summary>
    public float* Pointer { get; private set; }

    /// <summary>Unpins and returns the array to the pool.</summary>
    public void Dispose()
    {
        if (_array is not null)
        {
            _handle.Free();
            ArrayPool<float>.Shared.Return(_array);
            _array = null;
            Pointer = null;
        }
    }
}
