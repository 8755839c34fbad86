namespace Luna.Core.Scoring;

/// <summary>Numerically stable functions of one row of logits, computed in double.</summary>
internal static class LogitMath
{
    /// <summary>The index of the largest logit; ties go to the lower index.</summary>
    public static int Argmax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int j = 1; j < logits.Length; j++)
        {
            if (logits[j] > logits[best])
            {
                best = j;
            }
        }
        return best;
    }

    /// <summary>
    /// 1 - max softmax probability, computed as r / (1 + r) with r = sum over j ≠ argmax of exp(l_j - l_max), so that it
    /// keeps full relative precision when the top probability is close to 1.
    /// </summary>
    public static double OneMinusMaxSoftmax(ReadOnlySpan<float> logits)
    {
        int top = Argmax(logits);
        double max = logits[top];
        double rest = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            if (j != top)
            {
                rest += Math.Exp(logits[j] - max);
            }
        }
        return rest / (1.0 + rest);
    }

    /// <summary>T * logsumexp(l / T), computed as T * (M + ln sum_j exp(l_j / T - M)) with M = max_j l_j / T.</summary>
    public static double TemperedLogSumExp(ReadOnlySpan<float> logits, double temperature)
    {
        double max = double.NegativeInfinity;
        for (int j = 0; j < logits.Length; j++)
        {
            max = Math.Max(max, logits[j] / temperature);
        }
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            sum += Math.Exp((logits[j] / temperature) - max);
        }
        return temperature * (max + Math.Log(sum));
    }
}
