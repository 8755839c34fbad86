using System.Globalization;
using Luna.Training;
using Spectre.Console;

namespace Luna.Cli.Pipeline;

/// <summary>
/// Shows the progress of long work on standard error: Spectre.Console progress bars when standard error is a terminal,
/// otherwise one plain line per finished epoch or step (for logs, CI and tests).
/// </summary>
internal abstract class ProgressView
{
    /// <summary>Picks the live view for an interactive terminal, the plain one otherwise.</summary>
    public static ProgressView Create(TextWriter error)
        => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive
            ? new LiveProgressView()
            : new PlainProgressView(error);

    /// <summary>Runs <paramref name="body"/> while the view is shown.</summary>
    public abstract T Run<T>(Func<ProgressView, T> body);

    /// <summary>A training task: returns the progress sink the trainer reports to.</summary>
    public abstract IProgress<TrainingProgress> Training(string label);

    /// <summary>A step without a known length (extraction, scoring): call the returned action when it is done.</summary>
    public abstract Action Step(string label);

    /// <summary>A one-line message.</summary>
    public abstract void Message(string text);

    private sealed class PlainProgressView(TextWriter error) : ProgressView
    {
        public override T Run<T>(Func<ProgressView, T> body) => body(this);

        public override IProgress<TrainingProgress> Training(string label) => new Sink(p =>
        {
            if (p.Batch == p.Batches)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  train accuracy {p.Accuracy:F3}  lr {p.LearningRate:G3}  {p.Elapsed.TotalSeconds:F1} s"));
            }
        });

        public override Action Step(string label)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            return () => error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: done in {clock.Elapsed.TotalSeconds:F1} s"));
        }

        public override void Message(string text) => error.WriteLine(text);
    }

    private sealed class LiveProgressView : ProgressView
    {
        private ProgressContext? _context;

        public override T Run<T>(Func<ProgressView, T> body)
        {
            T result = default!;
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    _context = context;
                    result = body(this);
                });
            _context = null;
            return result;
        }

        public override IProgress<TrainingProgress> Training(string label)
        {
            ProgressTask task = _context!.AddTask(Markup.Escape(label));
            return new Sink(p =>
            {
                task.MaxValue = p.Epochs * p.Batches;
                task.Value = ((p.Epoch - 1) * p.Batches) + p.Batch;
                task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"{label} epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} acc {p.Accuracy:F3}"));
            });
        }

        public override Action Step(string label)
        {
            ProgressTask task = _context!.AddTask(Markup.Escape(label));
            task.IsIndeterminate = true;
            return () =>
            {
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
            };
        }

        public override void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    /// <summary>A synchronous <see cref="IProgress{T}"/> (no SynchronizationContext hop, so reports arrive in order).</summary>
    private sealed class Sink(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
