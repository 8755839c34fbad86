namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// The exact step of the k-nearest-neighbour search: recomputes the candidates' distances in double precision with
/// <see cref="ExactDistance.Squared"/> and selects the k smallest, ties to the lower reference index. With candidates
/// from <see cref="CandidateAccumulator"/> the result equals a brute-force double-precision top k over all references,
/// whatever the float32 rounding of the distance tiles.
/// </summary>
internal static unsafe class ExactReranker
{
    /// <summary>Re-ranks every row's candidates.</summary>
    /// <param name="queries">The result rows' features, Rows × d row-major, row stride <paramref name="ldq"/>.</param>
    /// <param name="ldq">Row stride of <paramref name="queries"/>, ≥ d.</param>
    /// <param name="references">The reference features, <paramref name="n"/> × d row-major, row stride <paramref name="ldr"/>.</param>
    /// <param name="ldr">Row stride of <paramref name="references"/>, ≥ d.</param>
    /// <param name="n">Number of references.</param>
    /// <param name="d">Dimension.</param>
    /// <param name="candidates">Candidate reference indices per row.</param>
    /// <param name="k">Neighbours kept per row.</param>
    /// <returns>Per row the ≤ k best candidates by (double squared distance, index), keys = double squared distances.</returns>
    public static TopKResult<double> Rerank(ReadOnlySpan<float> queries, int ldq, ReadOnlySpan<float> references, int ldr, int n, int d, CandidateLists candidates, int k)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int rows = candidates.Rows;
        GemmArguments.CheckMatrix(queries.Length, rows, d, ldq, nameof(queries));
        GemmArguments.CheckMatrix(references.Length, n, d, ldr, nameof(references));
        if (candidates.Offsets.Length != rows + 1 || candidates.Offsets[rows] > candidates.Capacity)
        {
            throw new ArgumentException($"candidate offsets ({candidates.Offsets.Length}) do not describe {rows} rows of {candidates.Capacity} indices.", nameof(candidates));
        }
        foreach (int reference in candidates.AllIndices)
        {
            if ((uint)reference >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(nameof(candidates), $"candidate {reference} is not a reference index (0..{n}).");
            }
        }
        var keys = new double[checked(rows * k)];
        var indices = new int[rows * k];
        var counts = new int[rows];
        fixed (double* pk = keys)
        fixed (int* pi = indices, pc = counts)
        {
            Into(queries, ldq, references, ldr, d, candidates, k, pk, pi, pc);
        }
        return new TopKResult<double>(rows, k, keys, indices, counts);
    }

    /// <summary>
    /// As <see cref="Rerank"/>, writing row i's keys (double squared distances, ascending) and indices to
    /// <c>keys[i·k ..]</c>, <c>indices[i·k ..]</c> and its count to <c>counts[i]</c> (unused slots: +∞ and −1), for callers
    /// that keep the result in unmanaged memory. The arguments must have been checked as <see cref="Rerank"/> checks them.
    /// </summary>
    internal static void Into(ReadOnlySpan<float> queries, int ldq, ReadOnlySpan<float> references, int ldr, int d, CandidateLists candidates, int k, double* keys, int* indices, int* counts)
    {
        fixed (float* pq = queries, pr = references)
        {
            nint qAddress = (nint)pq;
            nint rAddress = (nint)pr;
            nint kAddress = (nint)keys;
            nint iAddress = (nint)indices;
            nint cAddress = (nint)counts;
            Parallel.For(0, candidates.Rows, row =>
            {
                var query = new ReadOnlySpan<float>((float*)qAddress + ((nint)row * ldq), d);
                var rowKeys = new Span<double>((double*)kAddress + ((nint)row * k), k);
                var rowIndices = new Span<int>((int*)iAddress + ((nint)row * k), k);
                int count = 0;
                foreach (int reference in candidates.IndicesOf(row))
                {
                    var other = new ReadOnlySpan<float>((float*)rAddress + ((nint)reference * ldr), d);
                    KeyIndexHeap.Offer(rowKeys, rowIndices, ref count, ExactDistance.Squared(query, other), reference);
                }
                KeyIndexHeap.SortAscending(rowKeys, rowIndices, count);
                rowKeys[count..].Fill(double.PositiveInfinity);
                rowIndices[count..].Fill(-1);
                ((int*)cAddress)[row] = count;
            });
        }
    }
}
