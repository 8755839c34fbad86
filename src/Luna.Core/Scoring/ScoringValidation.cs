using System.Globalization;
using Luna.Core.Data;

namespace Luna.Core.Scoring;

/// <summary>What a fitted score remembers of its training set to check queries against it.</summary>
/// <param name="Dimension">Feature dimension d.</param>
/// <param name="Classes">Number of known classes K (logit columns when logits were given, else max label + 1).</param>
/// <param name="FeaturesSource">Name of the training features in messages.</param>
/// <param name="HasLogits">Whether training logits were given.</param>
internal sealed record TrainingShape(int Dimension, int Classes, string FeaturesSource, bool HasLogits);

/// <summary>
/// Every check of a score's inputs, in one place: option values, training features / labels / logits, and queries
/// against the training set. Each failure is a <see cref="LunaInputException"/> naming the file (or option) and the value.
/// </summary>
internal static class ScoringValidation
{
    /// <summary>Checks the option values (k ≥ 1, knn k ≥ 1, temperature finite and &gt; 0, a defined candidate rule).</summary>
    public static void Options(NoveltyScorerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.K < 1)
        {
            throw new LunaInputException($"--k: value {options.K} must be at least 1");
        }
        if (options.KnnK < 1)
        {
            throw new LunaInputException($"--k (knn): value {options.KnnK} must be at least 1");
        }
        if (!(options.Temperature > 0) || !double.IsFinite(options.Temperature))
        {
            throw new LunaInputException($"--temperature: value {options.Temperature} must be a finite number > 0");
        }
        if (options.NeighborIndex is null)
        {
            throw new LunaInputException("option neighbour index (--index): no index factory was given");
        }
        if (!Enum.IsDefined(options.Candidates))
        {
            throw new LunaInputException($"option candidates (--candidates): value {(int)options.Candidates} is not neighbours, top1 or all");
        }
    }

    /// <summary>
    /// Checks the training set: at least <paramref name="minRows"/> rows and one column, finite values, one label per row,
    /// labels in 0..K-1, logits (when given or needed) with one row per sample, finite, and a column for every label.
    /// </summary>
    /// <returns>What queries are later checked against.</returns>
    public static TrainingShape Training(ScoringTrainingSet training, string method, bool needsLogits, int minRows)
    {
        ArgumentNullException.ThrowIfNull(training);
        FeatureMatrix features = training.Features ?? throw new ArgumentException("training features are null", nameof(training));
        int[] labels = training.Labels ?? throw new ArgumentException("training labels are null", nameof(training));
        string fsrc = training.FeaturesSource;
        string lsrc = training.LabelsSource;
        string tlsrc = training.LogitsSource;
        if (features.Rows < minRows)
        {
            throw LunaInputException.InFile(fsrc, $"has {features.Rows} rows; method '{method}' needs at least {minRows} training samples");
        }
        if (features.Columns < 1)
        {
            throw LunaInputException.InFile(fsrc, "has 0 columns; the feature dimension d must be at least 1");
        }
        features.EnsureFinite(fsrc);
        if (labels.Length != features.Rows)
        {
            throw LunaInputException.InFile(lsrc, $"has {labels.Length} labels but {fsrc} has {features.Rows} rows (one label per training sample)");
        }
        int maxLabel = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw LunaInputException.InFile(lsrc, $"element {i}: label {labels[i]} is not a known class; training labels must be 0..K-1 (unknowns, -1, cannot be fitted)");
            }
            maxLabel = Math.Max(maxLabel, labels[i]);
        }
        int classes = maxLabel + 1;
        FeatureMatrix? logits = training.Logits;
        if (logits is null && classes > Math.Max(labels.Length, MaxClassesBeyondSamples))
        {
            // K = max label + 1 classes: far more classes than samples means class IDs that were never mapped to 0..K-1,
            // and every per-class structure would be sized by the largest ID. A subsample of a large label set (fewer
            // samples than classes, many classes empty) stays allowed up to MaxClassesBeyondSamples classes.
            int row = Array.IndexOf(labels, maxLabel);
            throw LunaInputException.InFile(lsrc, string.Create(CultureInfo.InvariantCulture, $"element {row}: label {maxLabel} makes {classes} classes for {labels.Length} training samples; labels must be 0..K-1 with K at most the number of samples or {MaxClassesBeyondSamples:N0} (map class IDs to 0..K-1 first)"));
        }
        if (logits is null)
        {
            if (needsLogits)
            {
                throw new LunaInputException($"method '{method}' needs the classifier's logits, but no training logits were given (--train-logits)");
            }
            return new TrainingShape(features.Columns, classes, fsrc, HasLogits: false);
        }
        if (logits.Rows != features.Rows)
        {
            throw LunaInputException.InFile(tlsrc, $"has {logits.Rows} rows but {fsrc} has {features.Rows} (one row of logits per training sample)");
        }
        if (logits.Columns < 1)
        {
            throw LunaInputException.InFile(tlsrc, "has 0 columns; logits need one column per known class");
        }
        logits.EnsureFinite(tlsrc);
        if (maxLabel >= logits.Columns)
        {
            int row = Array.IndexOf(labels, maxLabel);
            throw LunaInputException.InFile(lsrc, $"element {row}: label {maxLabel} has no logit column; {tlsrc} has {logits.Columns} columns (classes 0..{logits.Columns - 1})");
        }
        return new TrainingShape(features.Columns, logits.Columns, fsrc, HasLogits: true);
    }

    /// <summary>
    /// Checks queries against the training set: same dimension d, finite values, and logits (when given or needed) with one row
    /// per query, finite, and one column per known class.
    /// </summary>
    public static void Query(ScoringQuery query, TrainingShape shape, string method, bool needsLogits)
    {
        ArgumentNullException.ThrowIfNull(query);
        FeatureMatrix features = query.Features ?? throw new ArgumentException("query features are null", nameof(query));
        string qsrc = query.FeaturesSource;
        string qlsrc = query.LogitsSource;
        if (features.Columns != shape.Dimension)
        {
            string training = shape.FeaturesSource == "training features" ? "the training features" : $"the training features {shape.FeaturesSource}";
            throw LunaInputException.InFile(qsrc, $"has {features.Columns} columns but {training} have {shape.Dimension} (the feature dimension d must match)");
        }
        features.EnsureFinite(qsrc);
        FeatureMatrix? logits = query.Logits;
        if (logits is null)
        {
            if (needsLogits)
            {
                throw new LunaInputException($"method '{method}' needs the classifier's logits, but no query logits were given (--query-logits)");
            }
            return;
        }
        if (logits.Rows != features.Rows)
        {
            throw LunaInputException.InFile(qlsrc, $"has {logits.Rows} rows but {qsrc} has {features.Rows} (one row of logits per query)");
        }
        if (logits.Columns != shape.Classes)
        {
            string known = shape.HasLogits ? "the training logits have" : "the training labels name";
            throw LunaInputException.InFile(qlsrc, $"has {logits.Columns} columns but {known} {shape.Classes} classes (one logit column per known class)");
        }
        logits.EnsureFinite(qlsrc);
    }

    /// <summary>A class as messages name it: its number, and its name when known (<c>1 'rare'</c>).</summary>
    public static string ClassName(int c, IReadOnlyList<string>? names = null)
        => names is not null && c < names.Count ? $"{c.ToString(CultureInfo.InvariantCulture)} '{names[c]}'" : c.ToString(CultureInfo.InvariantCulture);

    /// <summary>Classes for a message: the first <see cref="ListedClasses"/>, then how many more (<c>4, 5, 6, … and 95 more</c>).</summary>
    public static string ClassList(IReadOnlyList<int> classes, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(classes);
        string listed = string.Join(", ", classes.Take(ListedClasses).Select(c => ClassName(c, names)));
        return classes.Count <= ListedClasses ? listed : string.Create(CultureInfo.InvariantCulture, $"{listed}, … and {classes.Count - ListedClasses} more");
    }

    /// <summary>The most classes (max label + 1) a training set may name beyond its number of samples (without logits).</summary>
    public const int MaxClassesBeyondSamples = 65_536;

    /// <summary>How many classes a message lists by name.</summary>
    public const int ListedClasses = 10;

    /// <summary>Counts the training samples of each class 0..classes-1.</summary>
    public static int[] ClassCounts(int[] labels, int classes)
    {
        var counts = new int[classes];
        foreach (int label in labels)
        {
            counts[label]++;
        }
        return counts;
    }
}
