namespace Luna.Core.LongTail;

/// <summary>How the inverse frequency t_j = n_max / n_j is mapped before the min-max step of <see cref="ClassWeights"/>.</summary>
public enum LambdaMap
{
    /// <summary>t_j itself (the paper's rule, the default).</summary>
    Linear,

    /// <summary>sqrt(t_j): spreads the weights over more tail classes.</summary>
    Sqrt,

    /// <summary>ln(t_j): spreads them further.</summary>
    Log,
}

/// <summary>
/// The per-class weights lambda_j of the weighted center loss (wcenter), docs/method.md.
/// </summary>
/// <remarks>
/// From the training counts n_j (n_max = max_j n_j):
/// <code>
/// t_j      = map(n_max / n_j)                      (map = identity by default; sqrt or ln as options)
/// u_j      = (t_j - min t) / (max t - min t)       (0 for every class when all counts are equal)
/// lambda_j = 1 + (lambdaMax - 1) * u_j             (in [1, lambdaMax]; the rarest class weighs lambdaMax)
/// </code>
/// </remarks>
public static class ClassWeights
{
    /// <summary>Default largest weight, lambda_max = 2.</summary>
    public const double DefaultLambdaMax = 2.0;

    /// <summary>Computes lambda_j for every class from its training count.</summary>
    /// <param name="counts">Training images per class, n_j ≥ 1, length K.</param>
    /// <param name="lambdaMax">Weight of the rarest class, ≥ 1.</param>
    /// <param name="map">The map applied to n_max / n_j.</param>
    /// <returns>lambda_j, length K.</returns>
    /// <exception cref="LunaInputException">A count is below 1, the list is empty, or lambdaMax is below 1.</exception>
    public static double[] Compute(IReadOnlyList<int> counts, double lambdaMax = DefaultLambdaMax, LambdaMap map = LambdaMap.Linear)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0)
        {
            throw new LunaInputException("class counts: the list is empty; wcenter needs at least one class");
        }
        if (!(lambdaMax >= 1.0) || double.IsInfinity(lambdaMax))
        {
            throw new LunaInputException($"--lambda-max: value {lambdaMax} must be a finite number ≥ 1");
        }
        int nMax = 0;
        for (int j = 0; j < counts.Count; j++)
        {
            if (counts[j] < 1)
            {
                throw new LunaInputException($"class counts: class {j} has count {counts[j]}; every class needs at least 1 training image");
            }
            nMax = Math.Max(nMax, counts[j]);
        }
        var t = new double[counts.Count];
        double tMin = double.PositiveInfinity;
        double tMax = double.NegativeInfinity;
        for (int j = 0; j < t.Length; j++)
        {
            double ratio = (double)nMax / counts[j];
            t[j] = map switch
            {
                LambdaMap.Linear => ratio,
                LambdaMap.Sqrt => Math.Sqrt(ratio),
                LambdaMap.Log => Math.Log(ratio),
                _ => throw new ArgumentOutOfRangeException(nameof(map), map, "unknown lambda map"),
            };
            tMin = Math.Min(tMin, t[j]);
            tMax = Math.Max(tMax, t[j]);
        }
        var lambda = new double[t.Length];
        double range = tMax - tMin;
        for (int j = 0; j < t.Length; j++)
        {
            double u = range > 0 ? (t[j] - tMin) / range : 0.0;
            lambda[j] = 1.0 + ((lambdaMax - 1.0) * u);
        }
        return lambda;
    }
}
