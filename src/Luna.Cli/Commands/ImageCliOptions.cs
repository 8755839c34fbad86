using System.CommandLine;
using Luna.Cli.Pipeline;
using Luna.Core;
using Luna.Vision.Backbones;
using Luna.Vision.Images;
using Luna.Vision.Models;
using Luna.Vision.Sources;

namespace Luna.Cli.Commands;

/// <summary>
/// The options of image sources shared by <c>luna train</c>, <c>luna evaluate</c> and <c>luna predict</c>:
/// <c>--source</c>, <c>--root</c>, <c>--unknown-classes</c>, <c>--on-bad-image</c>, <c>--cache-dir</c>, <c>--no-cache</c>.
/// </summary>
internal sealed class ImageCliOptions
{
    public Option<string?> Source { get; } = new("--source")
    {
        Description = "What --data is: folder (root/<class>/*.png|jpg|jpeg|bmp|webp), split (an OLTR split file, 'relative/path label' per line) or fashion-mnist; default: a file is a split file, a folder with the Fashion-MNIST IDX files is fashion-mnist, any other folder an image folder.",
    };

    public Option<string?> Root { get; } = new("--root") { Description = "Folder the paths of split files are relative to (default: the split file's folder)." };

    public Option<string?> UnknownClasses { get; } = new("--unknown-classes") { Description = "Comma-separated class folders of --data whose images are unknown (open set): left out of training, label -1 in evaluation." };

    public Option<string?> OnBadImage { get; } = new("--on-bad-image") { Description = "A file that cannot be decoded: fail (default; exit 2 naming it) or skip (named on standard error and left out)." };

    public Option<string?> CacheDir { get; } = new("--cache-dir") { Description = $"Feature cache of {ResNet18Backbone.Id} (default: ${FeatureCache.DirectoryVariable}, else ${{XDG_CACHE_HOME:-~/.cache}}/luna/features)." };

    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Extract every image again and store nothing in the feature cache." };

    public void AddSourceOptions(Command command)
    {
        command.Options.Add(Source);
        command.Options.Add(Root);
        command.Options.Add(UnknownClasses);
    }

    public void AddExtractionOptions(Command command)
    {
        command.Options.Add(OnBadImage);
        command.Options.Add(CacheDir);
        command.Options.Add(NoCache);
    }

    public BadImagePolicy Policy(ParseResult parse) => ImageTrainingOptions.ParsePolicy(parse.GetValue(OnBadImage));

    public IReadOnlyList<string> Unknown(ParseResult parse) => DataSource.ParseNames(parse.GetValue(UnknownClasses));

    /// <summary>Applies --cache-dir / --no-cache to a loaded model.</summary>
    public void ConfigureCache(ParseResult parse, ImageModel model)
    {
        if (parse.GetValue(NoCache))
        {
            model.Cache = null;
        }
    }

    /// <summary>Loads a model file with the cache options of <paramref name="parse"/>.</summary>
    public ImageModel LoadModel(ParseResult parse, string path)
    {
        ImageModel model = ImageModel.Load(path, cacheDirectory: parse.GetValue(CacheDir));
        ConfigureCache(parse, model);
        return model;
    }

    /// <summary>
    /// The images of <paramref name="data"/> labelled for a model of <paramref name="classNames"/>: an image folder (class
    /// folders by name, other folders unknown) or a split file (labels -1..K-1), plus an optional open-set split file.
    /// </summary>
    public ImageCollection ReadForModel(ParseResult parse, string data, string? open, IReadOnlyList<string> classNames)
    {
        DataSourceKind kind = DataSource.Resolve(data, parse.GetValue(Source));
        ImageCollection collection = kind switch
        {
            DataSourceKind.Folder => ImageFolder.ReadForModel(data, classNames, Unknown(parse)),
            DataSourceKind.Split => SplitFile.ReadForModel(data, classNames, parse.GetValue(Root)),
            _ => throw new LunaInputException($"--data: '{data}' is the Fashion-MNIST folder; evaluate FMNIST-OLT with luna demo, or luna extract + luna evaluate --features"),
        };
        if (open is not null)
        {
            ImageCollection openSet = SplitFile.ReadForModel(open, classNames, parse.GetValue(Root));
            if (openSet.Entries.FirstOrDefault(e => e.Label >= 0) is { } labelled)
            {
                throw LunaInputException.InFile(open, $"'{labelled.Path}' has label {labelled.Label}; every image of an open-set split has label -1");
            }
            collection = collection with
            {
                Entries = collection.Entries.Concat(openSet.Entries).ToArray(),
                Description = $"{collection.Description} + {openSet.Description}",
            };
        }
        return collection;
    }

    /// <summary>Reports progress of the image pipeline through the command's progress view.</summary>
    public static PipelineProgress Progress(ProgressView view) => new()
    {
        Step = view.Step,
        Training = view.Training,
        Message = view.Message,
    };
}
