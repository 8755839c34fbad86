using Luna.Training.Losses;
using Luna.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;
using static Luna.Training.Tests.Losses.WeightedCenterLossTests;

namespace Luna.Training.Tests.Losses;

public class TrainingObjectiveTests
{
    private readonly LossFixture _fixture = LossFixture.Load();

    public TrainingObjectiveTests() => TorchSetup.EnsureInitialized();

    [Theory]
    [InlineData(LossKind.WCenter, "objectiveWcenter")]
    [InlineData(LossKind.Center, "objectiveCenter")]
    [InlineData(LossKind.Ce, "crossEntropy")]
    [InlineData(LossKind.BalancedSoftmax, "balancedSoftmax")]
    [InlineData(LossKind.Focal, "focalMean")]
    public void Objective_equals_the_pytorch_reference(LossKind kind, string reference)
    {
        var options = new TrainingOptions { Loss = kind, Beta = _fixture.Number("beta"), Alpha = _fixture.Number("alpha"), LambdaMax = _fixture.Number("lambdaMax"), FeatureDim = _fixture.D };
        using var objective = TrainingObjective.Create(options, _fixture.Ints("counts"));
        objective.CenterLoss?.SetCenters(_fixture.Floats("centers"));
        using var features = tensor(_fixture.Floats("features"), new long[] { _fixture.M, _fixture.D });
        using var logits = tensor(_fixture.Floats("logits"), new long[] { _fixture.M, _fixture.K });
        using var target = tensor(_fixture.Ints("labels").Select(v => (long)v).ToArray());

        using Tensor value = objective.Forward(features, logits, target);

        AssertClose(_fixture.Number(reference), value.item<float>());
    }

    [Fact]
    public void AfterStep_moves_the_centers_by_alpha_not_scaled_by_beta()
    {
        var options = new TrainingOptions { Loss = LossKind.WCenter, Beta = 123.0, Alpha = _fixture.Number("alpha"), FeatureDim = _fixture.D };
        using var objective = TrainingObjective.Create(options, _fixture.Ints("counts"));
        objective.CenterLoss!.SetCenters(_fixture.Floats("centers"));
        using var features = tensor(_fixture.Floats("features"), new long[] { _fixture.M, _fixture.D });
        using var target = tensor(_fixture.Ints("labels").Select(v => (long)v).ToArray());

        objective.AfterStep(features, target);

        AssertAllClose(_fixture.Doubles("centersAfterUpdate"), objective.CenterLoss.Centers.data<float>().ToArray());
    }

    [Fact]
    public void Losses_without_centers_have_no_center_term()
    {
        using var objective = TrainingObjective.Create(new TrainingOptions { Loss = LossKind.Ce }, new[] { 3, 4 });
        Assert.Null(objective.CenterLoss);
    }
}
