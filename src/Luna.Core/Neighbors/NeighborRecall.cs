namespace Luna.Core.Neighbors;

/// <summary>How much of an exact k-NN result an approximate one found.</summary>
public static class NeighborRecall
{
    /// <summary>
    /// recall@k = (1/m) Σ_i |A_i ∩ E_i| / |E_i|: the fraction of each query's exact k nearest references (E_i, by index)
    /// that the approximate result lists among its k (A_i), averaged over the m queries. 1 for an exact index (ties
    /// aside: a reference tied with the k-th at the same distance may be listed instead).
    /// </summary>
    /// <param name="approximate">The result to judge, m × k.</param>
    /// <param name="exact">The exact result for the same queries and k, m × k.</param>
    /// <exception cref="ArgumentException">The results have different shapes.</exception>
    public static double Compute(NeighborResult approximate, NeighborResult exact)
    {
        ArgumentNullException.ThrowIfNull(approximate);
        ArgumentNullException.ThrowIfNull(exact);
        if (approximate.Rows != exact.Rows || approximate.K != exact.K)
        {
            throw new ArgumentException($"results of {approximate.Rows} × {approximate.K} and {exact.Rows} × {exact.K} cannot be compared.", nameof(approximate));
        }
        if (exact.Rows == 0 || exact.K == 0)
        {
            return 1;
        }
        long found = 0;
        var wanted = new HashSet<int>();
        for (int i = 0; i < exact.Rows; i++)
        {
            wanted.Clear();
            foreach (int index in exact.IndicesOf(i))
            {
                wanted.Add(index);
            }
            foreach (int index in approximate.IndicesOf(i))
            {
                if (wanted.Remove(index))
                {
                    found++;
                }
            }
        }
        return (double)found / ((long)exact.Rows * exact.K);
    }
}
