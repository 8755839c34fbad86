using Luna.Core;
using Luna.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Tests.Models;

public class SmallResNetTests
{
    public SmallResNetTests() => TorchSetup.EnsureInitialized();

    [Fact]
    public void Forward_returns_features_and_logits_of_the_configured_sizes()
    {
        using var model = new SmallResNet(1, 16, 5);
        model.eval();
        using var input = randn(3, 1, 28, 28);

        (Tensor features, Tensor logits) = model.forward(input);
        using (features)
        using (logits)
        {
            Assert.Equal(new long[] { 3, 16 }, features.shape);
            Assert.Equal(new long[] { 3, 5 }, logits.shape);
        }
    }

    [Fact]
    public void Logits_are_the_linear_classifier_applied_to_the_features()
    {
        using var model = new SmallResNet(1, 8, 3);
        model.eval();
        using var input = randn(2, 1, 28, 28);
        (Tensor features, Tensor logits) = model.forward(input);
        var classifier = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        using Tensor expected = features.matmul(classifier["classifier.weight"].t()).add(classifier["classifier.bias"]);

        Assert.True(expected.allclose(logits, rtol: 1e-5, atol: 1e-6));
        features.Dispose();
        logits.Dispose();
    }

    [Fact]
    public void Parameter_count_matches_the_architecture()
    {
        using var model = new SmallResNet(1, 128, 7);
        long count = model.parameters().Sum(p => p.numel());

        // stem conv 1·32·9 = 288, BN 64
        // stage1 32→32: 9216 + 64 + 9216 + 64, shortcut 1×1 32·32 = 1024 + 64
        // stage2 32→64: 18432 + 128 + 36864 + 128, shortcut 2048 + 128
        // stage3 64→128: 73728 + 256 + 147456 + 256, shortcut 8192 + 256
        // embedding 128·128 + 128 = 16512; classifier 128·7 + 7 = 903
        long expected = 288 + 64
            + 9216 + 64 + 9216 + 64 + 1024 + 64
            + 18432 + 128 + 36864 + 128 + 2048 + 128
            + 73728 + 256 + 147456 + 256 + 8192 + 256
            + 16512 + 903;
        Assert.Equal(expected, count);
    }

    [Fact]
    public void A_single_class_is_rejected()
    {
        var error = Assert.Throws<LunaInputException>(() => new SmallResNet(1, 8, 1));
        Assert.Equal("model: class count 1 must be at least 2", error.Message);
    }
}
