using Luna.Core;
using Luna.Training.Losses;
using Luna.Training.Tests.Fixtures;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Tests.Losses;

public class WeightedCenterLossTests
{
    private readonly LossFixture _fixture = LossFixture.Load();

    public WeightedCenterLossTests() => TorchSetup.EnsureInitialized();

    [Fact]
    public void Wcenter_loss_equals_the_pytorch_reference_for_mean_sum_and_none()
    {
        using var features = Features();
        using var target = Target();

        using var mean = Weighted(nn.Reduction.Mean);
        using var sum = Weighted(nn.Reduction.Sum);
        using var none = Weighted(nn.Reduction.None);
        using Tensor meanValue = mean.forward(features, target);
        using Tensor sumValue = sum.forward(features, target);
        using Tensor noneValue = none.forward(features, target);

        AssertClose(_fixture.Number("wcenterMean"), meanValue.item<float>());
        AssertClose(_fixture.Number("wcenterSum"), sumValue.item<float>());
        Assert.Equal(new long[] { _fixture.M }, noneValue.shape);
        AssertAllClose(_fixture.Doubles("wcenterNone"), noneValue.data<float>().ToArray());
    }

    [Fact]
    public void Class_weights_come_from_the_core_formula_and_match_the_reference()
    {
        using var loss = Weighted(nn.Reduction.Mean);

        AssertAllClose(_fixture.Doubles("lambda"), loss.Lambda.data<float>().ToArray());
    }

    [Fact]
    public void Gradient_reaches_the_features_as_in_pytorch_and_not_the_centers()
    {
        using var features = Features().requires_grad_(true);
        using var target = Target();
        using var loss = Weighted(nn.Reduction.Mean);

        using Tensor value = loss.forward(features, target);
        value.backward();

        AssertAllClose(_fixture.Doubles("wcenterGradFeatures"), features.grad!.data<float>().ToArray());
        Assert.False(loss.Centers.requires_grad);
        Assert.Empty(loss.parameters());
    }

    [Fact]
    public void Center_loss_equals_the_pytorch_reference()
    {
        using var features = Features();
        using var target = Target();
        using var loss = WeightedCenterLoss.Center(_fixture.K, _fixture.D);
        loss.SetCenters(_fixture.Floats("centers"));

        using Tensor value = loss.forward(features, target);

        AssertClose(_fixture.Number("centerMean"), value.item<float>());
    }

    [Fact]
    public void Wcenter_with_all_counts_equal_equals_the_center_loss()
    {
        using var features = Features();
        using var target = Target();
        using var weighted = WeightedCenterLoss.Weighted(new[] { 50, 50, 50 }, _fixture.D);
        using var center = WeightedCenterLoss.Center(_fixture.K, _fixture.D);
        weighted.SetCenters(_fixture.Floats("centers"));
        center.SetCenters(_fixture.Floats("centers"));

        using Tensor a = weighted.forward(features, target);
        using Tensor b = center.forward(features, target);

        Assert.Equal(b.item<float>(), a.item<float>());
        Assert.Equal(new float[] { 1, 1, 1 }, weighted.Lambda.data<float>().ToArray());
    }

    [Fact]
    public void One_Wen_update_moves_the_centers_as_the_pytorch_reference()
    {
        using var features = Features();
        using var target = Target();
        using var loss = Weighted(nn.Reduction.Mean);

        loss.UpdateCenters(features, target, _fixture.Number("alpha"));

        AssertAllClose(_fixture.Doubles("centersAfterUpdate"), loss.Centers.data<float>().ToArray());
    }

    [Fact]
    public void Repeated_updates_converge_to_the_class_means()
    {
        using var features = Features();
        using var target = Target();
        using var loss = Weighted(nn.Reduction.Mean);
        float[] f = _fixture.Floats("features");
        int[] y = _fixture.Ints("labels");
        int d = _fixture.D;
        var means = new double[_fixture.K * d];
        var counts = new int[_fixture.K];
        for (int i = 0; i < y.Length; i++)
        {
            counts[y[i]]++;
            for (int t = 0; t < d; t++)
            {
                means[(y[i] * d) + t] += f[(i * d) + t];
            }
        }
        for (int j = 0; j < means.Length; j++)
        {
            means[j] /= counts[j / d];
        }

        double previous = double.PositiveInfinity;
        // each update shrinks the gap c_j - mean_j by the factor 1 - alpha * n_j / (1 + n_j) (0.75 for a class seen once)
        for (int step = 0; step < 30; step++)
        {
            loss.UpdateCenters(features, target, 0.5);
            double distance = Distance(means, loss.Centers.data<float>().ToArray());
            Assert.True(distance < previous, $"step {step}: distance {distance} did not fall below {previous}");
            previous = distance;
        }
        Assert.True(previous < 1e-3, $"distance to the class means after 30 updates: {previous}");
    }

    [Fact]
    public void Absent_classes_keep_their_centers()
    {
        using var loss = WeightedCenterLoss.Center(3, 2);
        loss.SetCenters(new float[] { 1, 1, 2, 2, 3, 3 });
        using var features = tensor(new float[] { 0, 0, 0, 0 }, new long[] { 2, 2 });
        using var target = tensor(new long[] { 1, 1 });

        loss.UpdateCenters(features, target, 0.5);

        // class 1: delta = ((2,2) - 0 + (2,2) - 0) / 3 = (4/3, 4/3); c = (2,2) - 0.5 delta = (4/3, 4/3).
        float[] centers = loss.Centers.data<float>().ToArray();
        Assert.Equal(new float[] { 1, 1, 3, 3 }, new[] { centers[0], centers[1], centers[4], centers[5] });
        Assert.Equal(4f / 3f, centers[2], 6);
        Assert.Equal(4f / 3f, centers[3], 6);
    }

    [Fact]
    public void A_negative_class_weight_is_rejected_with_its_class_and_value()
    {
        var error = Assert.Throws<LunaInputException>(() => new WeightedCenterLoss(new[] { 1.0, -0.5 }, 4));
        Assert.Equal("center loss: class 1 has weight -0.5; weights must be finite and ≥ 0", error.Message);
    }

    private WeightedCenterLoss Weighted(nn.Reduction reduction)
    {
        var loss = WeightedCenterLoss.Weighted(_fixture.Ints("counts"), _fixture.D, _fixture.Number("lambdaMax"), reduction: reduction);
        loss.SetCenters(_fixture.Floats("centers"));
        return loss;
    }

    private Tensor Features() => tensor(_fixture.Floats("features"), new long[] { _fixture.M, _fixture.D });

    private Tensor Target() => tensor(_fixture.Ints("labels").Select(v => (long)v).ToArray());

    private static double Distance(double[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.Sqrt(sum);
    }

    internal static void AssertClose(double expected, double actual, double relative = 2e-6)
    {
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)), $"expected {expected}, got {actual}");
    }

    internal static void AssertAllClose(double[] expected, float[] actual, double relative = 2e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1.0, Math.Abs(expected[i])), $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
