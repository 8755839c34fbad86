using System.CommandLine;
using Luna.Core;
using Luna.Core.LongTail;
using Luna.Training;
using Luna.Training.Losses;

namespace Luna.Cli.Commands;

/// <summary>
/// The training options shared by <c>luna train</c> and <c>luna demo</c>; each maps to a <see cref="TrainingOptions"/>
/// field and shows its default from <see cref="TrainingOptions.Defaults"/>.
/// </summary>
internal sealed class TrainingCliOptions
{
    public Option<int?> Epochs { get; } = new("--epochs") { Description = $"Passes over the training set (default {TrainingOptions.Defaults.Epochs})." };

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = $"Images per step (default {TrainingOptions.Defaults.BatchSize})." };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = $"Learning rate (default {TrainingOptions.Defaults.SgdLearningRate} for sgd, {TrainingOptions.Defaults.AdamLearningRate} for adam)." };

    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd (default; momentum 0.9, weight decay 5e-4) or adam." };

    public Option<string?> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: cosine (default), step or constant." };

    public Option<double?> Beta { get; } = new("--beta") { Description = $"Weight of the center term, L = CE + beta * L_wc (default {TrainingOptions.Defaults.Beta})." };

    public Option<double?> Alpha { get; } = new("--alpha") { Description = $"Center update rate (default {TrainingOptions.Defaults.Alpha})." };

    public Option<double?> LambdaMax { get; } = new("--lambda-max") { Description = $"wcenter: weight of the rarest class (default {TrainingOptions.Defaults.LambdaMax})." };

    public Option<string?> LambdaMapping { get; } = new("--lambda-map") { Description = "wcenter: map of n_max/n_j before the min-max step: linear (default, the paper's), sqrt or log." };

    public Option<int?> FeatureDim { get; } = new("--feature-dim") { Description = $"Feature dimension D (default {TrainingOptions.Defaults.FeatureDim})." };

    public Option<string?> Device { get; } = new("--device") { Description = "cpu (default) or cuda (when available)." };

    public Option<bool> NoAugment { get; } = new("--no-augment") { Description = "Train without random crops and flips." };

    public IEnumerable<Option> All => [Epochs, BatchSize, LearningRate, Optimizer, Schedule, Beta, Alpha, LambdaMax, LambdaMapping, FeatureDim, Device, NoAugment];

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The training options given on the command line over the defaults; loss and seed are set by the caller.</summary>
    public TrainingOptions Bind(ParseResult parse, int? defaultEpochs = null)
    {
        var options = new TrainingOptions
        {
            Epochs = parse.GetValue(Epochs) ?? defaultEpochs ?? TrainingOptions.Defaults.Epochs,
            BatchSize = parse.GetValue(BatchSize) ?? TrainingOptions.Defaults.BatchSize,
            LearningRate = parse.GetValue(LearningRate),
            Optimizer = ParseEnum(parse.GetValue(Optimizer), "--optimizer", TrainingOptions.Defaults.Optimizer, ("sgd", OptimizerKind.Sgd), ("adam", OptimizerKind.Adam)),
            Schedule = ParseEnum(parse.GetValue(Schedule), "--schedule", TrainingOptions.Defaults.Schedule, ("cosine", ScheduleKind.Cosine), ("step", ScheduleKind.Step), ("constant", ScheduleKind.Constant)),
            Beta = parse.GetValue(Beta) ?? TrainingOptions.Defaults.Beta,
            Alpha = parse.GetValue(Alpha) ?? TrainingOptions.Defaults.Alpha,
            LambdaMax = parse.GetValue(LambdaMax) ?? TrainingOptions.Defaults.LambdaMax,
            LambdaMap = ParseEnum(parse.GetValue(LambdaMapping), "--lambda-map", TrainingOptions.Defaults.LambdaMapping, ("linear", LambdaMap.Linear), ("sqrt", LambdaMap.Sqrt), ("log", LambdaMap.Log)),
            FeatureDim = parse.GetValue(FeatureDim) ?? TrainingOptions.Defaults.FeatureDim,
            Device = parse.GetValue(Device) is string device ? TorchSetup.ParseDevice(device) : TrainingOptions.Defaults.Device,
            Augment = !parse.GetValue(NoAugment),
        };
        options.Validate();
        return options;
    }

    /// <summary>Parses one loss name: ce, center, wcenter, focal, balanced-softmax.</summary>
    public static LossKind ParseLoss(string value) => ParseEnum<LossKind>(value, "--loss", default,
        ("ce", LossKind.Ce), ("center", LossKind.Center), ("wcenter", LossKind.WCenter), ("focal", LossKind.Focal), ("balanced-softmax", LossKind.BalancedSoftmax));

    /// <summary>The command-line name of a loss.</summary>
    public static string LossName(LossKind loss) => loss switch
    {
        LossKind.Ce => "ce",
        LossKind.Center => "center",
        LossKind.WCenter => "wcenter",
        LossKind.Focal => "focal",
        _ => "balanced-softmax",
    };

    private static T ParseEnum<T>(string? value, string option, T fallback, params (string Name, T Value)[] choices)
    {
        if (value is null)
        {
            return fallback;
        }
        foreach ((string name, T v) in choices)
        {
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }
        throw new LunaInputException($"{option}: value '{value}' is not one of {string.Join(", ", choices.Select(c => c.Name))}");
    }
}
