using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core.Metrics;
using Luna.Training;
using Luna.Training.Data;
using Luna.Training.Extraction;

namespace Luna.Cli.Pipeline;

/// <summary>The steps of the FMNIST-OLT benchmark that the demo, train, extract and evaluate commands share.</summary>
internal static class FmnistOltPipeline
{
    /// <summary>The name under which all MNIST digits appear in the per-unknown-class tables.</summary>
    public const string DigitsClassName = "MNIST digits";

    /// <summary>Grey 28×28 images as the trainer's NCHW floats in [0, 1], with their labels.</summary>
    public static ImageData ToImageData(ImageSet set)
        => new(set.ToFloatPixels(), set.Count, 1, set.Height, set.Width, set.LabelsToArray());

    /// <summary>Trains one model on the benchmark's long-tailed training split.</summary>
    public static TrainedModel Train(FmnistOltBenchmark benchmark, TrainingOptions options, ProgressView view, string label, CancellationToken cancellationToken)
    {
        var trainer = new FeatureTrainer(options);
        return trainer.Fit(ToImageData(benchmark.Train), progress: view.Training(label), cancellationToken: cancellationToken);
    }

    /// <summary>Features and logits of the train, validation and test splits, with the test groups and unknown class names.</summary>
    public static EvaluationData Extract(TrainedModel model, FmnistOltBenchmark benchmark, ProgressView view, string label, CancellationToken cancellationToken)
    {
        Action done = view.Step($"{label}: extract features");
        FeatureSplit train = ExtractSplit(model, benchmark.Train, cancellationToken);
        FeatureSplit validation = ExtractSplit(model, benchmark.Validation, cancellationToken);
        FeatureSplit test = ExtractSplit(model, benchmark.Test, cancellationToken);
        done();
        (string?[] groups, string?[] classes) = TestGroups(benchmark.Test);
        return new EvaluationData(train, validation, test, benchmark.ClassNames)
        {
            TrainCounts = benchmark.TrainCounts.ToArray(),
            TestGroups = groups,
            TestUnknownClasses = classes,
        };
    }

    /// <summary>The group (known/near/far/cross) and, for unknowns, the original class name of every test image.</summary>
    public static (string?[] Groups, string?[] Classes) TestGroups(ImageSet test)
    {
        IReadOnlyList<SampleTag> tags = test.Tags ?? throw new InvalidOperationException("the FMNIST-OLT test split carries a tag per image");
        var groups = new string?[tags.Count];
        var classes = new string?[tags.Count];
        for (int i = 0; i < tags.Count; i++)
        {
            SampleTag tag = tags[i];
            groups[i] = tag.Group switch
            {
                OpenSetGroup.Known => UnknownGroups.Known,
                OpenSetGroup.Near => UnknownGroups.Near,
                OpenSetGroup.Far => UnknownGroups.Far,
                _ => UnknownGroups.Cross,
            };
            classes[i] = tag.Group switch
            {
                OpenSetGroup.Known => null,
                OpenSetGroup.Cross => DigitsClassName,
                _ => tag.SourceClassName,
            };
        }
        return (groups, classes);
    }

    private static FeatureSplit ExtractSplit(TrainedModel model, ImageSet set, CancellationToken cancellationToken)
    {
        ExtractedFeatures extracted = model.Extract(ToImageData(set), cancellationToken: cancellationToken);
        return new FeatureSplit(extracted.Features, extracted.Logits, set.LabelsToArray());
    }
}
