using Luna.Core;
using Luna.Core.Data;
using Luna.Training;
using Luna.Training.Losses;
using Luna.Vision.Heads;

namespace Luna.Vision.Tests.Heads;

public class LinearHeadTests
{
    [Fact]
    public void Apply_standardises_projects_and_classifies_as_written()
    {
        // I = 2, D = 2, K = 2; every value by hand.
        var head = new LinearHead([1f, 2f], [2f, 4f], [1f, 0f, 1f, 1f], [0.5f, -0.5f], [1f, -1f, 0f, 2f], [0f, 1f]);
        (FeatureMatrix f, FeatureMatrix z) = head.Apply(new FeatureMatrix([3f, 6f], 1, 2));
        // x̂ = ((3-1)/2, (6-2)/4) = (1, 1); f = (1*1 + 0*1 + 0.5, 1*1 + 1*1 - 0.5) = (1.5, 1.5); z = (1.5 - 1.5 + 0, 0 + 3 + 1) = (0, 4)
        Assert.Equal([1.5f, 1.5f], f.Array);
        Assert.Equal([0f, 4f], z.Array);
    }

    [Fact]
    public void Without_projection_the_features_are_the_standardised_inputs()
    {
        var head = new LinearHead([1f, 1f], [1f, 2f], null, null, [1f, 0f, 0f, 1f], [0f, 0f]);
        (FeatureMatrix f, _) = head.Apply(new FeatureMatrix([3f, 5f], 1, 2));
        Assert.Equal([2f, 2f], f.Array);
        Assert.False(head.HasProjection);
    }

    [Fact]
    public void Mismatched_weights_are_bad_input()
    {
        Assert.Throws<LunaInputException>(() => new LinearHead([0f, 0f], [1f, 1f], [1f, 2f, 3f], [0f], [1f, 1f], [0f, 0f]));
        Assert.Throws<LunaInputException>(() => new LinearHead([0f, 0f], [1f, 0f], null, null, [1f, 1f, 1f, 1f], [0f, 0f]));
    }

    [Fact]
    public void A_trained_wcenter_head_separates_the_classes_and_its_centers_sit_at_the_class_means_of_its_features()
    {
        var random = new Random(3);
        int perClass = 60;
        var rows = new List<float[]>();
        var labels = new List<int>();
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                var x = new float[8];
                for (int j = 0; j < 8; j++)
                {
                    x[j] = (float)(((j == c) ? 4.0 : 0.0) + Normal(random));
                }
                rows.Add(x);
                labels.Add(c);
            }
        }
        FeatureMatrix inputs = FeatureMatrix.FromRows(rows);
        var options = new TrainingOptions { Loss = LossKind.WCenter, Epochs = 40, BatchSize = 30, FeatureDim = 4, Beta = 0.1, Seed = 1 };
        TrainedHead trained = HeadTrainer.Fit(inputs, labels.ToArray(), options, projection: true);
        (FeatureMatrix f, FeatureMatrix z) = trained.Head.Apply(inputs);
        int correct = Enumerable.Range(0, labels.Count).Count(i => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(z.Row(i)) == labels[i]);
        Assert.Equal(labels.Count, correct);
        Assert.Equal([60, 60, 60], trained.ClassCounts);
        Assert.True(trained.History[^1].Loss < trained.History[0].Loss);
        for (int c = 0; c < 3; c++)
        {
            float[] mean = new float[4];
            for (int i = c * perClass; i < (c + 1) * perClass; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(mean, f.Row(i), mean);
            }
            System.Numerics.Tensors.TensorPrimitives.Divide(mean, perClass, mean);
            double distance = System.Numerics.Tensors.TensorPrimitives.Distance(mean, trained.Centers.Row(c));
            double spread = System.Numerics.Tensors.TensorPrimitives.Norm(mean);
            Assert.True(distance < 0.25 * spread, $"class {c}: center {distance:F3} from the mean (norm {spread:F3})");
        }
        // Same seed, same head (up to LibTorch's float rounding, which may differ in the last bit between runs).
        TrainedHead again = HeadTrainer.Fit(inputs, labels.ToArray(), options, projection: true);
        float[] repeated = again.Head.Apply(inputs).Logits.Array;
        for (int i = 0; i < repeated.Length; i++)
        {
            Assert.Equal(z.Array[i], repeated[i], 1e-4 * Math.Max(1, Math.Abs(z.Array[i])));
        }
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
