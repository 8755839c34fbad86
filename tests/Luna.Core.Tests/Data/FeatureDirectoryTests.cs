using Luna.Core.Data;
using Luna.Core.Evaluation;
using Luna.Core.Tests.Evaluation;

namespace Luna.Core.Tests.Data;

public class FeatureDirectoryTests
{
    [Fact]
    public void A_feature_folder_round_trips_every_split_group_and_class()
    {
        EvaluationData data = SyntheticOpenSet.Create();
        string dir = Directory.CreateTempSubdirectory("luna-features").FullName;
        try
        {
            FeatureDirectory.Write(dir, data);
            EvaluationData back = FeatureDirectory.Read(dir);
            Assert.Equal(data.ClassNames, back.ClassNames);
            Assert.Equal(data.TrainCounts, back.TrainCounts);
            Assert.Equal(data.Test.Features.Data.ToArray(), back.Test.Features.Data.ToArray());
            Assert.Equal(data.Validation.Logits!.Data.ToArray(), back.Validation.Logits!.Data.ToArray());
            Assert.Equal(data.Test.Labels, back.Test.Labels);
            Assert.Equal(data.TestGroups, back.TestGroups);
            Assert.Equal(data.TestUnknownClasses, back.TestUnknownClasses);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Logits_missing_from_one_split_are_dropped_from_all()
    {
        string dir = Directory.CreateTempSubdirectory("luna-features").FullName;
        try
        {
            FeatureDirectory.Write(dir, SyntheticOpenSet.Create());
            File.Delete(Path.Combine(dir, "test.logits.npy"));
            EvaluationData back = FeatureDirectory.Read(dir);
            Assert.Null(back.Train.Logits);
            Assert.Null(back.Validation.Logits);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Labels_that_do_not_match_the_feature_rows_are_an_error_naming_both_files()
    {
        string dir = Directory.CreateTempSubdirectory("luna-features").FullName;
        try
        {
            FeatureDirectory.Write(dir, SyntheticOpenSet.Create());
            Npy.WriteLabels(Path.Combine(dir, "validation.labels.npy"), new[] { 0, 1 });
            var ex = Assert.Throws<LunaInputException>(() => FeatureDirectory.Read(dir));
            Assert.Contains("validation.labels.npy: has 2 labels but", ex.Message);
            Assert.Contains("validation.features.npy has 60 rows", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_classes_json_is_an_error_saying_what_it_holds()
    {
        string dir = Directory.CreateTempSubdirectory("luna-features").FullName;
        try
        {
            var ex = Assert.Throws<LunaInputException>(() => FeatureDirectory.Read(dir));
            Assert.Contains("classes.json: file not found", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
