using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Luna.Core.Evaluation;
using Luna.Core.IO;

namespace Luna.Core.Data;

/// <summary>
/// A folder of extracted features that <c>luna evaluate</c> reads and <c>luna extract</c> / <c>luna demo</c> write, so
/// that features from any framework can be evaluated by Luna's core alone.
/// </summary>
/// <remarks>
/// Layout (every matrix a C-order float32 or float64 <c>.npy</c>, every label vector an integer <c>.npy</c>):
/// <code>
/// classes.json                 {"classNames": ["T-shirt/top", ...], "trainCounts": [3000, ...]}   (trainCounts optional)
/// train.features.npy           [n, d]        train.labels.npy [n] in 0..K-1      train.logits.npy [n, K] (optional)
/// validation.features.npy      [v, d]        validation.labels.npy [v] in 0..K-1 validation.logits.npy (optional)
/// test.features.npy            [m, d]        test.labels.npy [m], -1 = unknown   test.logits.npy (optional)
/// test.groups.csv              index,group,class   (optional: group known/near/far/cross, class = original class name)
/// </code>
/// Logits are used only when all three splits have them.
/// </remarks>
public static class FeatureDirectory
{
    /// <summary>The split names, in file-name order.</summary>
    public static IReadOnlyList<string> Splits { get; } = ["train", "validation", "test"];

    /// <summary>The class list file.</summary>
    public const string ClassesFile = "classes.json";

    /// <summary>The test groups file.</summary>
    public const string GroupsFile = "test.groups.csv";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes every file of <paramref name="data"/> into <paramref name="directory"/>, each atomically.</summary>
    public static void Write(string directory, EvaluationData data)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(data);
        Directory.CreateDirectory(directory);
        var classes = new ClassList(data.ClassNames.ToArray(), data.TrainCounts);
        AtomicFile.WriteAllText(Path.Combine(directory, ClassesFile), JsonSerializer.Serialize(classes, s_json) + "\n");
        WriteSplit(directory, "train", data.Train);
        WriteSplit(directory, "validation", data.Validation);
        WriteSplit(directory, "test", data.Test);
        if (data.TestGroups is { } groups)
        {
            string?[]? names = data.TestUnknownClasses;
            AtomicFile.WriteText(Path.Combine(directory, GroupsFile), w =>
            {
                w.WriteLine("index,group,class");
                for (int i = 0; i < groups.Length; i++)
                {
                    w.Write(i.ToString(CultureInfo.InvariantCulture));
                    w.Write(',');
                    w.Write(groups[i] ?? string.Empty);
                    w.Write(',');
                    w.WriteLine(names?[i] ?? string.Empty);
                }
            });
        }
    }

    /// <summary>Reads a feature folder.</summary>
    /// <exception cref="LunaInputException">A required file is missing or malformed (naming the file and value).</exception>
    public static EvaluationData Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw LunaInputException.InFile(directory, "folder not found; expected a feature folder with classes.json and train/validation/test .npy files");
        }
        string classesPath = Path.Combine(directory, ClassesFile);
        if (!File.Exists(classesPath))
        {
            throw LunaInputException.InFile(classesPath, "file not found; it lists the class names: {\"classNames\": [\"...\", ...]}");
        }
        ClassList classes;
        try
        {
            classes = JsonSerializer.Deserialize<ClassList>(File.ReadAllText(classesPath), s_json)
                ?? throw LunaInputException.InFile(classesPath, "file holds null");
        }
        catch (JsonException ex)
        {
            throw LunaInputException.InFile(classesPath, $"not valid JSON: {ex.Message}");
        }
        if (classes.ClassNames is not { Length: > 0 })
        {
            throw LunaInputException.InFile(classesPath, "field 'classNames' is missing or empty");
        }
        if (classes.TrainCounts is { } counts && counts.Length != classes.ClassNames.Length)
        {
            throw LunaInputException.InFile(classesPath, $"field 'trainCounts' has {counts.Length} entries for {classes.ClassNames.Length} class names");
        }
        FeatureSplit train = ReadSplit(directory, "train");
        FeatureSplit validation = ReadSplit(directory, "validation");
        FeatureSplit test = ReadSplit(directory, "test");
        bool allLogits = train.Logits is not null && validation.Logits is not null && test.Logits is not null;
        if (!allLogits)
        {
            train = train with { Logits = null };
            validation = validation with { Logits = null };
            test = test with { Logits = null };
        }
        string?[]? groups = null;
        string?[]? unknownClasses = null;
        string groupsPath = Path.Combine(directory, GroupsFile);
        if (File.Exists(groupsPath))
        {
            GroupAssignments assignments = GroupFile.Read(groupsPath);
            if (assignments.Groups.Length != test.Labels.Length)
            {
                throw LunaInputException.InFile(groupsPath, $"has {assignments.Groups.Length} rows but test.labels.npy has {test.Labels.Length} labels");
            }
            groups = assignments.Groups;
            unknownClasses = assignments.Classes;
        }
        return new EvaluationData(train, validation, test, classes.ClassNames)
        {
            TrainCounts = classes.TrainCounts,
            TestGroups = groups,
            TestUnknownClasses = unknownClasses,
        };
    }

    private static void WriteSplit(string directory, string split, FeatureSplit data)
    {
        Npy.WriteMatrix(Path.Combine(directory, $"{split}.features.npy"), data.Features);
        Npy.WriteLabels(Path.Combine(directory, $"{split}.labels.npy"), data.Labels);
        if (data.Logits is { } logits)
        {
            Npy.WriteMatrix(Path.Combine(directory, $"{split}.logits.npy"), logits);
        }
    }

    private static FeatureSplit ReadSplit(string directory, string split)
    {
        string featuresPath = Path.Combine(directory, $"{split}.features.npy");
        string labelsPath = Path.Combine(directory, $"{split}.labels.npy");
        string logitsPath = Path.Combine(directory, $"{split}.logits.npy");
        FeatureMatrix features = Npy.ReadMatrix(featuresPath);
        features.EnsureFinite(featuresPath);
        int[] labels = Npy.ReadLabels(labelsPath);
        if (labels.Length != features.Rows)
        {
            throw LunaInputException.InFile(labelsPath, $"has {labels.Length} labels but {featuresPath} has {features.Rows} rows");
        }
        FeatureMatrix? logits = null;
        if (File.Exists(logitsPath))
        {
            logits = Npy.ReadMatrix(logitsPath);
            logits.EnsureFinite(logitsPath);
            if (logits.Rows != features.Rows)
            {
                throw LunaInputException.InFile(logitsPath, $"has {logits.Rows} rows but {featuresPath} has {features.Rows}");
            }
        }
        return new FeatureSplit(features, logits, labels);
    }

    private sealed record ClassList(string[] ClassNames, int[]? TrainCounts);
}
