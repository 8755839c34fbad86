using Luna.Core;
using Luna.Training.Losses;
using Luna.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;
using static Luna.Training.Tests.Losses.WeightedCenterLossTests;

namespace Luna.Training.Tests.Losses;

public class ClassificationLossTests
{
    private readonly LossFixture _fixture = LossFixture.Load();

    public ClassificationLossTests() => TorchSetup.EnsureInitialized();

    [Fact]
    public void Focal_loss_equals_the_pytorch_reference()
    {
        using var logits = Logits();
        using var target = Target();
        using var mean = new FocalLoss(_fixture.Number("gamma"));
        using var none = new FocalLoss(_fixture.Number("gamma"), nn.Reduction.None);

        using Tensor meanValue = mean.forward(logits, target);
        using Tensor noneValue = none.forward(logits, target);

        AssertClose(_fixture.Number("focalMean"), meanValue.item<float>());
        AssertAllClose(_fixture.Doubles("focalNone"), noneValue.data<float>().ToArray());
    }

    [Fact]
    public void Focal_loss_with_gamma_zero_is_cross_entropy()
    {
        using var logits = Logits();
        using var target = Target();
        using var focal = new FocalLoss(0.0);

        using Tensor value = focal.forward(logits, target);

        AssertClose(_fixture.Number("crossEntropy"), value.item<float>());
    }

    [Fact]
    public void Balanced_softmax_equals_the_pytorch_reference()
    {
        using var logits = Logits();
        using var target = Target();
        using var loss = new BalancedSoftmaxLoss(_fixture.Ints("counts"));

        using Tensor value = loss.forward(logits, target);

        AssertClose(_fixture.Number("balancedSoftmax"), value.item<float>());
    }

    [Fact]
    public void Balanced_softmax_rejects_an_empty_class()
    {
        var error = Assert.Throws<LunaInputException>(() => new BalancedSoftmaxLoss(new[] { 5, 0 }));
        Assert.Contains("class 1 has count 0", error.Message);
    }

    [Fact]
    public void Focal_loss_rejects_a_negative_gamma()
    {
        var error = Assert.Throws<LunaInputException>(() => new FocalLoss(-1));
        Assert.Equal("focal gamma: value -1 must be a finite number ≥ 0", error.Message);
    }

    private Tensor Logits() => tensor(_fixture.Floats("logits"), new long[] { _fixture.M, _fixture.K });

    private Tensor Target() => tensor(_fixture.Ints("labels").Select(v => (long)v).ToArray());
}
