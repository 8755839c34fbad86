namespace Luna.Core.Neighbors.Kernels;

/// <summary>Which implementation computed a block of inner products (reported by every kernel and benchmark).</summary>
internal enum KernelBackend
{
    /// <summary>Managed kernel, scalar fused multiply-add (no usable SIMD).</summary>
    ManagedScalar,

    /// <summary>Managed kernel, <c>Vector256&lt;float&gt;</c> with FMA (AVX2 + FMA3).</summary>
    ManagedVector256,

    /// <summary>Managed kernel, <c>Vector512&lt;float&gt;</c> with FMA (AVX-512F).</summary>
    ManagedVector512,

    /// <summary>Native <c>cblas_sgemm</c>/<c>cblas_ssyrk</c> from OpenBLAS (<c>libopenblas.so.0</c>), loaded at run time.</summary>
    OpenBlas,
}
