namespace Luna.Training.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_starts_at_the_base_rate_and_halves_midway()
    {
        var options = new TrainingOptions { LearningRate = 0.1, Schedule = ScheduleKind.Cosine };

        Assert.Equal(0.1, LearningRateSchedule.At(options, 0, 100, 1), 12);
        Assert.Equal(0.05, LearningRateSchedule.At(options, 50, 100, 1), 12);
        // (1 + cos(0.75 pi)) / 2 = (1 - sqrt(2)/2) / 2
        Assert.Equal(0.1 * (1 - (Math.Sqrt(2) / 2)) / 2, LearningRateSchedule.At(options, 75, 100, 1), 12);
    }

    [Fact]
    public void Step_divides_by_ten_after_half_and_three_quarters_of_the_epochs()
    {
        var options = new TrainingOptions { LearningRate = 0.1, Schedule = ScheduleKind.Step, Epochs = 4 };

        Assert.Equal(0.1, LearningRateSchedule.At(options, 0, 40, 1), 12);
        Assert.Equal(0.1, LearningRateSchedule.At(options, 0, 40, 2), 12);
        Assert.Equal(0.01, LearningRateSchedule.At(options, 0, 40, 3), 12);
        Assert.Equal(0.001, LearningRateSchedule.At(options, 0, 40, 4), 12);
    }

    [Fact]
    public void Constant_keeps_the_base_rate()
    {
        var options = new TrainingOptions { LearningRate = 0.02, Schedule = ScheduleKind.Constant };
        Assert.Equal(0.02, LearningRateSchedule.At(options, 99, 100, 30));
    }
}
