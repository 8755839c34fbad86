using Luna.Core;
using Luna.Training.Losses;

namespace Luna.Training.Tests.Training;

public class TrainingOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_values()
    {
        var options = new TrainingOptions();

        Assert.Equal(LossKind.WCenter, options.Loss);
        Assert.Equal(0.01, options.Beta);
        Assert.Equal(0.5, options.Alpha);
        Assert.Equal(2.0, options.LambdaMax);
        Assert.Equal(128, options.FeatureDim);
        Assert.Equal(128, options.BatchSize);
        Assert.Equal(0.05, options.EffectiveLearningRate);
        Assert.Equal(5e-4, options.EffectiveWeightDecay);
        Assert.Equal(1e-3, (options with { Optimizer = OptimizerKind.Adam }).EffectiveLearningRate);
        Assert.Equal(0.0, (options with { Optimizer = OptimizerKind.Adam }).EffectiveWeightDecay);
        options.Validate();
    }

    [Theory]
    [InlineData("epochs", "--epochs: value 0 must be at least 1")]
    [InlineData("beta", "--beta: value -1 must be a finite number ≥ 0")]
    [InlineData("alpha", "alpha: value 1.5 must be in [0, 1]")]
    [InlineData("lambda", "--lambda-max: value 0.5 must be a finite number ≥ 1")]
    [InlineData("lr", "--lr: value 0 must be a finite number > 0")]
    public void Bad_values_are_named_with_the_option_and_the_value(string which, string message)
    {
        var options = which switch
        {
            "epochs" => new TrainingOptions { Epochs = 0 },
            "beta" => new TrainingOptions { Beta = -1 },
            "alpha" => new TrainingOptions { Alpha = 1.5 },
            "lambda" => new TrainingOptions { LambdaMax = 0.5 },
            _ => new TrainingOptions { LearningRate = 0 },
        };

        var error = Assert.Throws<LunaInputException>(options.Validate);

        Assert.Equal(message, error.Message);
    }
}
