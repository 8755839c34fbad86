namespace Luna.Training;

/// <summary>The learning rate at a step of a run (see <see cref="ScheduleKind"/>).</summary>
internal static class LearningRateSchedule
{
    /// <param name="options">The run's options.</param>
    /// <param name="step">0-based optimizer step of the run.</param>
    /// <param name="totalSteps">Steps in the run.</param>
    /// <param name="epoch">1-based epoch of the step.</param>
    public static double At(TrainingOptions options, int step, int totalSteps, int epoch)
    {
        double lr = options.EffectiveLearningRate;
        switch (options.Schedule)
        {
            case ScheduleKind.Cosine:
                return lr * 0.5 * (1.0 + Math.Cos(Math.PI * step / Math.Max(1, totalSteps)));
            case ScheduleKind.Step:
                int first = (options.Epochs + 1) / 2;
                int second = ((3 * options.Epochs) + 3) / 4;
                if (epoch > second)
                {
                    return lr * 0.01;
                }
                return epoch > first ? lr * 0.1 : lr;
            default:
                return lr;
        }
    }
}
