using System.Security.Cryptography;
using System.Text;
using Luna.Core.LongTail;

namespace Luna.Core.Data;

/// <summary>Settings of the FMNIST-OLT benchmark. The defaults (<see cref="Defaults"/>) are the benchmark of docs/data.md.</summary>
public sealed record FmnistOltOptions
{
    /// <summary>The default settings, also the command-line defaults.</summary>
    public static class Defaults
    {
        /// <summary>Seed 0.</summary>
        public const int Seed = 0;

        /// <summary>Head count 3000.</summary>
        public const int NMax = 3000;

        /// <summary>Imbalance ratio 300 (tail count 10).</summary>
        public const double Ratio = 300.0;

        /// <summary>Tail count of the pareto profile, 10 (the exp profile's tail).</summary>
        public const int NMin = 10;

        /// <summary>Pareto shape 6 (ImageNet-LT).</summary>
        public const double ParetoAlpha = 6.0;

        /// <summary>20 validation images per known class (OLTR's convention).</summary>
        public const int ValidationPerClass = 20;

        /// <summary>100 MNIST digits of each digit class, 1,000 cross-domain unknowns: as many as each other unknown class.</summary>
        public const int CrossPerDigit = 100;

        /// <summary>Seed of the cross-domain sample, 0 (fixed so that every run is tested on the same images).</summary>
        public const int CrossSeed = 0;
    }

    /// <summary>The run's seed: which training and validation images are kept (and the rank order when <see cref="RankOrder"/> is seed).</summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>Long-tail profile, exp (the benchmark) or pareto.</summary>
    public LongTailProfile Profile { get; init; } = LongTailProfile.Exp;

    /// <summary>Head count n_max.</summary>
    public int NMax { get; init; } = Defaults.NMax;

    /// <summary>Imbalance ratio of the exp profile.</summary>
    public double Ratio { get; init; } = Defaults.Ratio;

    /// <summary>Tail count n_min of the pareto profile.</summary>
    public int NMin { get; init; } = Defaults.NMin;

    /// <summary>Shape alpha of the pareto profile.</summary>
    public double ParetoAlpha { get; init; } = Defaults.ParetoAlpha;

    /// <summary>Fixed (the benchmark's head-to-tail order, <see cref="FmnistOlt.FixedHeadToTail"/>) or drawn from the seed.</summary>
    public RankOrder RankOrder { get; init; } = RankOrder.Fixed;

    /// <summary>Validation images per known class, taken from the training file, disjoint from the training images.</summary>
    public int ValidationPerClass { get; init; } = Defaults.ValidationPerClass;

    /// <summary>MNIST digits sampled per digit class for the cross-domain group, or null for all of them (10,000).</summary>
    public int? CrossPerDigit { get; init; } = Defaults.CrossPerDigit;

    /// <summary>Seed of the cross-domain sample.</summary>
    public int CrossSeed { get; init; } = Defaults.CrossSeed;
}

/// <summary>
/// An FMNIST-OLT benchmark instance: the long-tailed training set, the validation set and the open-set test set,
/// with the manifest that describes them.
/// </summary>
/// <remarks>
/// Labels: known classes 0..6 (see <see cref="ClassNames"/>), unknown -1. Every sample carries a <see cref="SampleTag"/>
/// (group, source class and name, source file and index); <c>Test.Tags[i].HierarchyDistance</c> is its hierarchy distance.
/// </remarks>
public sealed class FmnistOltBenchmark
{
    internal FmnistOltBenchmark(ImageSet train, ImageSet validation, ImageSet test, int[] trainCounts, FmnistOltManifest manifest, IReadOnlyList<string> notes)
    {
        Train = train;
        Validation = validation;
        Test = test;
        TrainCounts = trainCounts;
        Manifest = manifest;
        Notes = notes;
    }

    /// <summary>Training images of the known classes, labels 0..6, ordered by their index in the training file.</summary>
    public ImageSet Train { get; }

    /// <summary>Validation images, <see cref="FmnistOltOptions.ValidationPerClass"/> per known class, labels 0..6.</summary>
    public ImageSet Validation { get; }

    /// <summary>
    /// Test images: every image of the Fashion-MNIST test file in file order (known classes with labels 0..6, Shirt and
    /// Sneaker as near unknowns, Bag as far unknown, label -1), then the cross-domain MNIST digits (label -1) when present.
    /// </summary>
    public ImageSet Test { get; }

    /// <summary>Names of the known classes by label: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Ankle boot.</summary>
    public IReadOnlyList<string> ClassNames => FmnistOlt.KnownClassNames;

    /// <summary>Training images per known class (by label 0..6).</summary>
    public IReadOnlyList<int> TrainCounts { get; }

    /// <summary>The manifest (settings, counts, rank order, hierarchy, sizes, sources).</summary>
    public FmnistOltManifest Manifest { get; }

    /// <summary>True when the MNIST digits are in the test set.</summary>
    public bool HasCrossDomain => Manifest.CrossDomain.Included;

    /// <summary>Things the user should be told, e.g. that the cross-domain group was skipped and how to add it.</summary>
    public IReadOnlyList<string> Notes { get; }
}

/// <summary>
/// Builds the FMNIST-OLT benchmark (docs/data.md) from Fashion-MNIST and, when present, the MNIST digits.
/// </summary>
/// <remarks>
/// <para>Known classes: Fashion-MNIST 0, 1, 2, 3, 4, 5, 9, remapped to labels 0..6 in that order (so Ankle boot, 9,
/// becomes 6). Unknown: Shirt (6) and Sneaker (7) are near (a sibling in the hierarchy is known), Bag (8) is far,
/// MNIST digits are cross-domain.</para>
/// <para>Training counts: the profile's counts by rank assigned head to tail in <see cref="FixedHeadToTail"/> order
/// (exp defaults: T-shirt/top 3000, Trouser 1159, Sandal 448, Pullover 173, Dress 67, Ankle boot 26, Coat 10), or in a
/// seeded order. Validation: <see cref="FmnistOltOptions.ValidationPerClass"/> further images per known class from the
/// training file. Both are chosen by <see cref="LongTailSampler.Select"/> with the run's seed, so they are disjoint.</para>
/// <para>Test: the whole Fashion-MNIST test file (1,000 images per class), plus
/// <see cref="FmnistOltOptions.CrossPerDigit"/> MNIST digits of each digit (default 100, so 1,000 cross-domain unknowns,
/// as many as each other unknown class), sampled with <see cref="FmnistOltOptions.CrossSeed"/>.</para>
/// </remarks>
public static class FmnistOlt
{
    /// <summary>The benchmark's name.</summary>
    public const string Name = "FMNIST-OLT";

    /// <summary>Fashion-MNIST labels of the known classes; known label l is <c>KnownSourceClasses[l]</c>.</summary>
    public static IReadOnlyList<int> KnownSourceClasses { get; } = [0, 1, 2, 3, 4, 5, 9];

    /// <summary>Names of the known classes by label 0..6.</summary>
    public static IReadOnlyList<string> KnownClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Ankle boot"];

    /// <summary>
    /// The benchmark's fixed head-to-tail order as known labels: T-shirt/top (0), Trouser (1), Sandal (5), Pullover (2),
    /// Dress (3), Ankle boot (6), Coat (4).
    /// </summary>
    public static IReadOnlyList<int> FixedHeadToTail { get; } = [0, 1, 5, 2, 3, 6, 4];

    /// <summary>
    /// Finds the data (<see cref="DataLocator"/>), reads it and builds the benchmark. Without MNIST digits the test set
    /// has no cross-domain group and <see cref="FmnistOltBenchmark.Notes"/> says so.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="dataDirectory">The Fashion-MNIST folder (<c>--data</c>), or null to search.</param>
    /// <param name="mnistDirectory">The MNIST digits folder, or null to search (<c>$LUNA_MNIST</c>, then the cache).</param>
    /// <param name="locator">The locator (default: this process's environment).</param>
    /// <exception cref="LunaInputException">The data is missing or damaged, or a setting is out of range.</exception>
    public static FmnistOltBenchmark Load(FmnistOltOptions options, string? dataDirectory = null, string? mnistDirectory = null, DataLocator? locator = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        locator ??= DataLocator.FromProcessEnvironment();
        FashionMnistFiles files = locator.LocateFashionMnist(dataDirectory);
        string? digitsFolder = locator.LocateMnistDigits(mnistDirectory);

        IdxContent trainImages = IdxReader.Read(files.TrainImages, IdxReader.ImagesMagic);
        IdxContent trainLabels = IdxReader.Read(files.TrainLabels, IdxReader.LabelsMagic);
        IdxContent testImages = IdxReader.Read(files.TestImages, IdxReader.ImagesMagic);
        IdxContent testLabels = IdxReader.Read(files.TestLabels, IdxReader.LabelsMagic);
        var sources = new List<SourceFileEntry>
        {
            Describe("fashion-mnist train images", trainImages.Path, trainImages.ContentSha256),
            Describe("fashion-mnist train labels", trainLabels.Path, trainLabels.ContentSha256),
            Describe("fashion-mnist test images", testImages.Path, testImages.ContentSha256),
            Describe("fashion-mnist test labels", testLabels.Path, testLabels.ContentSha256),
        };
        ImageSet? digits = null;
        string? crossNote = null;
        if (digitsFolder is not null)
        {
            digits = MnistDigitsReader.Read(digitsFolder);
            for (int d = 0; d < 10; d++)
            {
                sources.Add(Describe($"mnist digit {d}", MnistDigitsReader.DigitFile(digitsFolder, d), null));
            }
        }
        else
        {
            crossNote = locator.MnistMissingNote;
        }
        return Build(
            IdxReader.ToImageSet(trainImages, trainLabels),
            IdxReader.ToImageSet(testImages, testLabels),
            digits,
            options,
            sources,
            crossNote);
    }

    /// <summary>Builds the benchmark from sets already in memory.</summary>
    /// <param name="fashionTrain">The Fashion-MNIST training set (labels 0..9).</param>
    /// <param name="fashionTest">The Fashion-MNIST test set (labels 0..9).</param>
    /// <param name="digits">MNIST digits (labels 0..9, same image size), or null to leave out the cross-domain group.</param>
    /// <param name="options">The settings.</param>
    /// <param name="sources">The files the sets came from, for the manifest (may be null).</param>
    /// <param name="crossNote">Why <paramref name="digits"/> is null, for the manifest and <see cref="FmnistOltBenchmark.Notes"/>.</param>
    /// <exception cref="LunaInputException">A label is outside 0..9, image sizes differ, a class has too few images, or a setting is out of range.</exception>
    public static FmnistOltBenchmark Build(ImageSet fashionTrain, ImageSet fashionTest, ImageSet? digits, FmnistOltOptions options, IReadOnlyList<SourceFileEntry>? sources = null, string? crossNote = null)
    {
        ArgumentNullException.ThrowIfNull(fashionTrain);
        ArgumentNullException.ThrowIfNull(fashionTest);
        ArgumentNullException.ThrowIfNull(options);
        CheckLabels(fashionTrain, "fashion-mnist train");
        CheckLabels(fashionTest, "fashion-mnist test");
        if (fashionTest.Height != fashionTrain.Height || fashionTest.Width != fashionTrain.Width)
        {
            throw new LunaInputException($"fashion-mnist test: images are {fashionTest.Height}×{fashionTest.Width}, the training images {fashionTrain.Height}×{fashionTrain.Width}");
        }
        if (digits is not null)
        {
            CheckLabels(digits, "mnist");
            if (digits.Height != fashionTrain.Height || digits.Width != fashionTrain.Width)
            {
                throw new LunaInputException($"mnist: images are {digits.Height}×{digits.Width}, the Fashion-MNIST images {fashionTrain.Height}×{fashionTrain.Width}");
            }
        }
        if (options.ValidationPerClass < 0)
        {
            throw new LunaInputException($"validation per class: value {options.ValidationPerClass} must be ≥ 0");
        }
        if (options.CrossPerDigit is < 1)
        {
            throw new LunaInputException($"cross-domain digits per class: value {options.CrossPerDigit} must be ≥ 1 (or all)");
        }

        int k = KnownSourceClasses.Count;
        int[] countsByRank = LongTailSampler.Counts(options.Profile, k, options.NMax, options.Ratio, options.NMin, options.ParetoAlpha, options.Seed);
        int[] headToTail = LongTailSampler.HeadToTailOrder(k, options.RankOrder, options.Seed, FixedHeadToTail);
        int[] trainCounts = LongTailSampler.CountsPerClass(countsByRank, headToTail);

        // Known label of every Fashion-MNIST class, -1 for unknown ones.
        var knownLabelOf = new int[10];
        Array.Fill(knownLabelOf, -1);
        for (int l = 0; l < k; l++)
        {
            knownLabelOf[KnownSourceClasses[l]] = l;
        }
        var groupOf = new OpenSetGroup[10];
        for (int c = 0; c < 10; c++)
        {
            groupOf[c] = FashionMnist.Hierarchy.GroupOf(c, KnownSourceClasses);
        }

        // Training and validation: seeded choice per known class from the training file.
        var remapped = new int[fashionTrain.Count];
        for (int i = 0; i < remapped.Length; i++)
        {
            remapped[i] = knownLabelOf[fashionTrain.Labels[i]];
        }
        LongTailSelection selection = LongTailSampler.Select(remapped, trainCounts, options.Seed, options.ValidationPerClass, "fashion-mnist train");
        ImageSet train = Relabel(fashionTrain, selection.Kept, knownLabelOf, groupOf, "fashion-mnist/train");
        ImageSet validation = Relabel(fashionTrain, selection.HeldOut, knownLabelOf, groupOf, "fashion-mnist/train");

        // Test: the whole test file, then the sampled digits.
        int[] all = Enumerable.Range(0, fashionTest.Count).ToArray();
        ImageSet test = Relabel(fashionTest, all, knownLabelOf, groupOf, "fashion-mnist/test");
        int crossCount = 0;
        if (digits is not null)
        {
            int[] chosen;
            if (options.CrossPerDigit is int perDigit)
            {
                var perClass = new int[10];
                Array.Fill(perClass, perDigit);
                chosen = LongTailSampler.Select(digits.Labels, perClass, options.CrossSeed, 0, "mnist").Kept;
            }
            else
            {
                chosen = Enumerable.Range(0, digits.Count).ToArray();
            }
            ImageSet cross = digits.Select(chosen);
            var crossLabels = new int[chosen.Length];
            Array.Fill(crossLabels, -1);
            var crossTags = new SampleTag[chosen.Length];
            for (int i = 0; i < chosen.Length; i++)
            {
                int d = digits.Labels[chosen[i]];
                crossTags[i] = new SampleTag(OpenSetGroup.Cross, d, $"digit {d}", "mnist", chosen[i]);
            }
            crossCount = chosen.Length;
            test = ImageSet.Concat([test, cross.WithLabels(crossLabels, crossTags)]);
        }

        var notes = new List<string>();
        if (digits is null)
        {
            crossNote ??= "no MNIST digits given: the cross-domain unknown group is skipped";
            notes.Add(crossNote);
        }
        FmnistOltManifest manifest = MakeManifest(options, countsByRank, headToTail, trainCounts, train, validation, test, crossCount, digits is not null, crossNote, sources);
        return new FmnistOltBenchmark(train, validation, test, trainCounts, manifest, notes);
    }

    private static FmnistOltManifest MakeManifest(
        FmnistOltOptions options, int[] countsByRank, int[] headToTail, int[] trainCounts, ImageSet train, ImageSet validation,
        ImageSet test, int crossCount, bool crossIncluded, string? crossNote, IReadOnlyList<SourceFileEntry>? sources)
    {
        int k = KnownSourceClasses.Count;
        var rankOf = new int[k];
        for (int r = 0; r < k; r++)
        {
            rankOf[headToTail[r]] = r;
        }
        var validationCounts = new int[k];
        foreach (int label in validation.Labels)
        {
            validationCounts[label]++;
        }
        var testPerSourceClass = new int[10];
        var crossPerDigit = new int[10];
        int near = 0;
        int far = 0;
        int known = 0;
        foreach (SampleTag tag in test.Tags!)
        {
            switch (tag.Group)
            {
                case OpenSetGroup.Cross:
                    crossPerDigit[tag.SourceClass]++;
                    break;
                case OpenSetGroup.Near:
                    near++;
                    testPerSourceClass[tag.SourceClass]++;
                    break;
                case OpenSetGroup.Far:
                    far++;
                    testPerSourceClass[tag.SourceClass]++;
                    break;
                default:
                    known++;
                    testPerSourceClass[tag.SourceClass]++;
                    break;
            }
        }
        var knownEntries = new KnownClassEntry[k];
        for (int l = 0; l < k; l++)
        {
            int source = KnownSourceClasses[l];
            knownEntries[l] = new KnownClassEntry(
                l, source, KnownClassNames[l], rankOf[l], trainCounts[l], validationCounts[l], testPerSourceClass[source],
                ShotGroups.Of(trainCounts[l]), FashionMnist.Hierarchy.SuperClassOf(source).Name);
        }
        var unknownEntries = new List<UnknownClassEntry>();
        for (int c = 0; c < 10; c++)
        {
            OpenSetGroup group = FashionMnist.Hierarchy.GroupOf(c, KnownSourceClasses);
            if (group != OpenSetGroup.Known)
            {
                unknownEntries.Add(new UnknownClassEntry("fashion-mnist", c, FashionMnist.ClassNames[c], group, (int)group, testPerSourceClass[c], FashionMnist.Hierarchy.SuperClassOf(c).Name));
            }
        }
        if (crossIncluded)
        {
            for (int d = 0; d < 10; d++)
            {
                unknownEntries.Add(new UnknownClassEntry("mnist", d, $"digit {d}", OpenSetGroup.Cross, (int)OpenSetGroup.Cross, crossPerDigit[d], null));
            }
        }
        var hierarchy = new List<SuperClassEntry>();
        foreach (SuperClass s in FashionMnist.Hierarchy.SuperClasses)
        {
            hierarchy.Add(new SuperClassEntry(s.Name, s.Classes, s.Classes.Select(c => FashionMnist.ClassNames[c]).ToArray()));
        }
        bool exp = options.Profile == LongTailProfile.Exp;
        return new FmnistOltManifest
        {
            Seed = options.Seed,
            Profile = options.Profile,
            NMax = options.NMax,
            Ratio = exp ? options.Ratio : null,
            NMin = exp ? null : options.NMin,
            ParetoAlpha = exp ? null : options.ParetoAlpha,
            RankOrder = options.RankOrder,
            HeadToTail = headToTail.Select(l => KnownClassNames[l]).ToArray(),
            KnownClasses = knownEntries,
            UnknownClasses = unknownEntries,
            Hierarchy = hierarchy,
            ValidationPerClass = options.ValidationPerClass,
            Splits = new SplitSizes(train.Count, validation.Count, test.Count, known, near, far, crossCount),
            CrossDomain = new CrossDomainEntry(crossIncluded, options.CrossPerDigit, options.CrossSeed, crossIncluded ? null : crossNote),
            SplitFingerprint = Fingerprint(train, validation, test),
            Sources = sources?.ToArray() ?? [],
        };
    }

    /// <summary>SHA-256 of the lines "split source index", see <see cref="FmnistOltManifest.SplitFingerprint"/>.</summary>
    internal static string Fingerprint(ImageSet train, ImageSet validation, ImageSet test)
    {
        var text = new StringBuilder();
        foreach ((string name, ImageSet set) in new[] { ("train", train), ("validation", validation), ("test", test) })
        {
            foreach (SampleTag tag in set.Tags!)
            {
                text.Append(name).Append(' ').Append(tag.Source).Append(' ').Append(tag.SourceIndex).Append('\n');
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static ImageSet Relabel(ImageSet source, int[] indices, int[] knownLabelOf, OpenSetGroup[] groupOf, string sourceName)
    {
        ImageSet picked = source.Select(indices);
        var labels = new int[indices.Length];
        var tags = new SampleTag[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int c = source.Labels[indices[i]];
            labels[i] = knownLabelOf[c];
            tags[i] = new SampleTag(groupOf[c], c, FashionMnist.ClassNames[c], sourceName, indices[i]);
        }
        return picked.WithLabels(labels, tags);
    }

    private static void CheckLabels(ImageSet set, string name)
    {
        ReadOnlySpan<int> labels = set.Labels;
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] > 9)
            {
                throw new LunaInputException($"{name}: sample {i} has label {labels[i]}, expected 0..9");
            }
        }
    }

    private static SourceFileEntry Describe(string role, string path, string? contentSha256)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] hash = SHA256.HashData(stream);
        return new SourceFileEntry(role, Path.GetFullPath(path), stream.Length, Convert.ToHexStringLower(hash), contentSha256);
    }
}
