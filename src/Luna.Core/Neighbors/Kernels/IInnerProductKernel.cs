namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// Computes blocks of inner products and squared Euclidean distances between rows of two float32 feature
/// matrices, the hot loop of an exact k-nearest-neighbour search.
/// </summary>
/// <remarks>
/// <para>Shapes and layout: A is m × d and B is n × d, both row-major with row strides <c>lda</c>, <c>ldb</c> ≥ d
/// (element (i, p) of A at <c>a[i·lda + p]</c>); the output C is m × n row-major with row stride <c>ldc</c> ≥ n.
/// The kernel computes C = A·Bᵀ, i.e. C[i, j] = Σ_{p&lt;d} A[i, p]·B[j, p], the dot product of row i of A with row j of B.</para>
/// <para>Squared distances use precomputed squared norms (see <see cref="RowNorms"/>):
/// C[i, j] = max(0, ‖a_i‖² + ‖b_j‖² − 2 a_i·b_j), each rounded to float32. The error of this float32 expansion
/// is bounded by <see cref="Float32DistanceBound"/>; candidates found with it are re-ranked exactly by
/// <see cref="ExactReranker"/>.</para>
/// <para>Implementations are thread-safe for concurrent calls and use all cores themselves, so callers need not
/// (and should not) call them from several threads at once to get speed.</para>
/// </remarks>
internal interface IInnerProductKernel
{
    /// <summary>The implementation that runs (managed SIMD width or native OpenBLAS).</summary>
    KernelBackend Backend { get; }

    /// <summary>A one-line description for benchmark lines and logs (backend, version or core type, threads).</summary>
    string Description { get; }

    /// <summary>C[i·ldc + j] = Σ_{p&lt;d} a[i·lda + p]·b[j·ldb + p] for i &lt; m, j &lt; n.</summary>
    /// <param name="a">A, m × d row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A, ≥ d.</param>
    /// <param name="b">B, n × d row-major with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B, ≥ d.</param>
    /// <param name="c">Output C, m × n row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C, ≥ n.</param>
    /// <param name="m">Rows of A and of C.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="d">Columns (dimensions) of A and B, the length of each dot product.</param>
    void Products(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, int m, int n, int d);

    /// <summary>
    /// C[i·ldc + j] = max(0, aNorms[i] + bNorms[j] − 2 Σ_{p&lt;d} a[i·lda + p]·b[j·ldb + p]) for i &lt; m, j &lt; n,
    /// the float32 squared Euclidean distance between row i of A and row j of B.
    /// </summary>
    /// <param name="a">A, m × d row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A, ≥ d.</param>
    /// <param name="aNorms">Squared norms ‖a_i‖² of the m rows of A (from <see cref="RowNorms"/>).</param>
    /// <param name="b">B, n × d row-major with row stride <paramref name="ldb"/>.</param>
    /// <param name="ldb">Row stride of B, ≥ d.</param>
    /// <param name="bNorms">Squared norms ‖b_j‖² of the n rows of B.</param>
    /// <param name="c">Output C, m × n row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C, ≥ n.</param>
    /// <param name="m">Rows of A and of C.</param>
    /// <param name="n">Rows of B, columns of C.</param>
    /// <param name="d">Columns (dimensions) of A and B, the length of each dot product.</param>
    void SquaredDistances(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> aNorms, ReadOnlySpan<float> b, int ldb, ReadOnlySpan<float> bNorms, Span<float> c, int ldc, int m, int n, int d);

    /// <summary>
    /// The self-join A·Aᵀ (A is m × d): computes only the entries on and above the diagonal, C[i, j] for j ≥ i,
    /// doing about half the work of <see cref="Products"/>. With <paramref name="mirror"/> the lower triangle is then
    /// filled with C[j, i] = C[i, j]; without it the entries below the diagonal are unspecified (some, in blocks that
    /// straddle the diagonal, may be written).
    /// </summary>
    /// <param name="a">A, m × d row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A, ≥ d.</param>
    /// <param name="c">Output C, m × m row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C, ≥ m.</param>
    /// <param name="m">Rows of A; C is m × m.</param>
    /// <param name="d">Columns of A.</param>
    /// <param name="mirror">Also fill the lower triangle.</param>
    void SymmetricProducts(ReadOnlySpan<float> a, int lda, Span<float> c, int ldc, int m, int d, bool mirror);

    /// <summary>
    /// The self-join squared distances C[i, j] = max(0, norms[i] + norms[j] − 2 a_i·a_j) for j ≥ i (and mirrored below
    /// the diagonal when <paramref name="mirror"/> is set), as <see cref="SymmetricProducts"/>.
    /// </summary>
    /// <param name="a">A, m × d row-major with row stride <paramref name="lda"/>.</param>
    /// <param name="lda">Row stride of A, ≥ d.</param>
    /// <param name="norms">Squared norms of the m rows of A.</param>
    /// <param name="c">Output C, m × m row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Row stride of C, ≥ m.</param>
    /// <param name="m">Rows of A; C is m × m.</param>
    /// <param name="d">Columns of A.</param>
    /// <param name="mirror">Also fill the lower triangle.</param>
    void SymmetricSquaredDistances(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> norms, Span<float> c, int ldc, int m, int d, bool mirror);
}
