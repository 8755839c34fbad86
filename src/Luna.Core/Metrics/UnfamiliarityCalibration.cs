namespace Luna.Core.Metrics;

/// <summary>
/// Calibrates the unfamiliarity reading (docs/method.md): a raw factor is shown as its percentile among the
/// factors of held-out <b>known</b> validation samples, so that "97" means "more unfamiliar than 97% of known
/// validation samples" whatever the raw scale of the score.
/// </summary>
/// <remarks>
/// percentile(x) = 100 · |{v in validation : v ≤ x}| / n, i.e. <c>scipy.stats.percentileofscore(validation, x,
/// kind="weak")</c>. Under this definition the threshold chosen by <see cref="Thresholds.FromValidation"/> at accept
/// fraction q has percentile ≥ 100·q, and a query is rejected exactly when its percentile exceeds that of the threshold.
/// </remarks>
public sealed class UnfamiliarityCalibration
{
    private readonly double[] _sorted;

    /// <summary>Builds the calibration from the held-out known validation factors (copied and sorted).</summary>
    /// <param name="knownValidationFactors">Factors (novelty scores) of known-only validation samples, n ≥ 1, finite.</param>
    /// <exception cref="LunaInputException">No factors or a non-finite factor.</exception>
    public UnfamiliarityCalibration(ReadOnlySpan<double> knownValidationFactors)
    {
        if (knownValidationFactors.IsEmpty)
        {
            throw new LunaInputException("calibration: no validation factors were given; at least 1 is needed");
        }
        _sorted = knownValidationFactors.ToArray();
        for (int i = 0; i < _sorted.Length; i++)
        {
            if (!double.IsFinite(_sorted[i]))
            {
                throw new LunaInputException($"calibration: value {_sorted[i]} at index {i} is not finite");
            }
        }
        Array.Sort(_sorted);
    }

    /// <summary>Number of validation factors, n.</summary>
    public int Count => _sorted.Length;

    /// <summary>100 · (number of validation factors ≤ <paramref name="factor"/>) / n, in [0, 100]. O(log n).</summary>
    public double Percentile(double factor)
    {
        // Upper bound: the first index whose value is > factor.
        int lo = 0;
        int hi = _sorted.Length;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (_sorted[mid] <= factor)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return 100.0 * lo / _sorted.Length;
    }

    /// <summary>The percentile of every factor in <paramref name="factors"/>.</summary>
    public double[] Percentiles(ReadOnlySpan<double> factors)
    {
        var result = new double[factors.Length];
        for (int i = 0; i < factors.Length; i++)
        {
            result[i] = Percentile(factors[i]);
        }
        return result;
    }
}
