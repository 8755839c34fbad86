using Luna.Core.Data;
using Luna.Core.Evaluation;

namespace Luna.Core.Tests.Evaluation;

/// <summary>
/// Seeded synthetic features for open-set evaluation tests: K Gaussian clusters on the axes of R^d (known classes),
/// a "near" cluster between classes 0 and 1 and a "far" cluster on another axis (unknowns). Logits are the negative
/// squared distances to the class centres, except that the classifier never predicts <see cref="BlindClass"/> (its
/// logit is lowered), so a top-1 predictor fails on that class while the acquaintance does not.
/// </summary>
internal static class SyntheticOpenSet
{
    public const int Classes = 3;
    public const int Dimension = 8;
    public const int BlindClass = 2;

    public static EvaluationData Create(int seed = 1, int[]? trainCounts = null, bool withLogits = true)
    {
        trainCounts ??= [120, 60, 15];
        var random = new Random(seed);
        FeatureSplit train = Split(random, trainCounts, near: 0, far: 0, withLogits);
        FeatureSplit validation = Split(random, [20, 20, 20], near: 0, far: 0, withLogits);
        FeatureSplit test = Split(random, [50, 50, 50], near: 40, far: 40, withLogits);
        var groups = new string?[test.Labels.Length];
        var classes = new string?[test.Labels.Length];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = i < 150 ? "known" : i < 190 ? "near" : "far";
            classes[i] = i < 150 ? null : i < 190 ? "between" : "elsewhere";
        }
        return new EvaluationData(train, validation, test, ["a", "b", "c"])
        {
            TrainCounts = trainCounts,
            TestGroups = groups,
            TestUnknownClasses = classes,
        };
    }

    private static FeatureSplit Split(Random random, int[] perClass, int near, int far, bool withLogits)
    {
        var rows = new List<float[]>();
        var labels = new List<int>();
        for (int c = 0; c < perClass.Length; c++)
        {
            for (int i = 0; i < perClass[c]; i++)
            {
                rows.Add(Point(random, Centre(c)));
                labels.Add(c);
            }
        }
        float[] between = Centre(0);
        float[] one = Centre(1);
        for (int j = 0; j < Dimension; j++)
        {
            between[j] = (between[j] + one[j]) / 2;
        }
        for (int i = 0; i < near; i++)
        {
            rows.Add(Point(random, between));
            labels.Add(-1);
        }
        for (int i = 0; i < far; i++)
        {
            rows.Add(Point(random, Centre(5)));
            labels.Add(-1);
        }
        FeatureMatrix features = FeatureMatrix.FromRows(rows);
        return new FeatureSplit(features, withLogits ? Logits(features) : null, labels.ToArray());
    }

    private static float[] Centre(int axis)
    {
        var c = new float[Dimension];
        c[axis] = 4f;
        return c;
    }

    private static float[] Point(Random random, float[] centre)
    {
        var p = new float[Dimension];
        for (int j = 0; j < Dimension; j++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            p[j] = centre[j] + (float)(0.5 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return p;
    }

    private static FeatureMatrix Logits(FeatureMatrix features)
    {
        var logits = new FeatureMatrix(features.Rows, Classes);
        for (int i = 0; i < features.Rows; i++)
        {
            for (int c = 0; c < Classes; c++)
            {
                float[] centre = Centre(c);
                double d = 0;
                for (int j = 0; j < Dimension; j++)
                {
                    d += (features[i, j] - centre[j]) * (features[i, j] - centre[j]);
                }
                logits[i, c] = (float)(-d - (c == BlindClass ? 1000 : 0));
            }
        }
        return logits;
    }
}
