using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Luna.Core;
using Luna.Core.IO;
using Luna.Core.Prediction;
using Luna.Vision.Images;
using Luna.Vision.Models;
using Luna.Vision.Sources;

namespace Luna.Cli.Commands;

/// <summary>
/// <c>luna predict --model M.luna PATH...</c>: for every image (files, or folders searched recursively) its predicted
/// class and probability, the LUNA factor, the decision (known / unknown), the acquaintance and a one-phrase reading
/// of the unfamiliarity; as a table, CSV or a JSON array, streamed batch by batch.
/// </summary>
internal static class PredictCommand
{
    /// <summary>Images per batch: each batch is decoded and extracted on every core, then printed.</summary>
    public const int DefaultBatchSize = 32;

    internal static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A model file (.luna) written by luna train.", Required = true };
        var format = new Option<string?>("--format") { Description = "table (default when standard output is a terminal), csv (default otherwise) or json (one array, an object per image)." };
        var output = new Option<string?>("--out") { Description = "Write the results to this file (atomically) instead of standard output." };
        var batch = new Option<int?>("--batch-size") { Description = $"Images per batch; results print as each batch finishes (default {DefaultBatchSize})." };
        var paths = new Argument<string[]>("paths") { Description = "Image files, or folders searched recursively for .png, .jpg, .jpeg, .bmp and .webp files.", Arity = ArgumentArity.OneOrMore };
        var images = new ImageCliOptions();
        var command = new Command("predict", "Answer for new images: known or unknown, which class, how unfamiliar and near which known class.") { model, format, output, batch, paths };
        images.AddExtractionOptions(command);
        command.SetAction((parse, cancellationToken) =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            return CommandRunner.RunAsync(stderr, ct =>
            {
                string? formatValue = parse.GetValue(format)?.Trim().ToLowerInvariant();
                string? outPath = parse.GetValue(output);
                bool terminal = outPath is null && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
                string chosen = formatValue ?? (terminal ? "table" : "csv");
                if (chosen is not ("table" or "csv" or "json"))
                {
                    throw new LunaInputException($"--format: value '{formatValue}' is not one of table, csv, json");
                }
                int batchSize = parse.GetValue(batch) ?? DefaultBatchSize;
                if (batchSize < 1)
                {
                    throw new LunaInputException($"--batch-size: value {batchSize} must be at least 1");
                }
                BadImagePolicy policy = images.Policy(parse);
                List<string> files = CollectFiles(parse.GetValue(paths)!);
                using ImageModel loaded = images.LoadModel(parse, parse.GetValue(model)!);
                var summary = new Summary();
                if (outPath is null)
                {
                    Stream(loaded, files, batchSize, policy, chosen, stdout, stderr, summary, ct);
                }
                else
                {
                    AtomicFile.WriteText(outPath, writer => Stream(loaded, files, batchSize, policy, chosen, writer, stderr, summary, ct));
                }
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"luna: {summary.Images} image{(summary.Images == 1 ? "" : "s")}: {summary.Unknown} unknown, {summary.Images - summary.Unknown} known{(summary.Skipped > 0 ? $"; {summary.Skipped} skipped" : "")}{(outPath is null ? "" : $"; wrote {outPath}")}"));
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>The image files named by the arguments: files as given, folders searched recursively (sorted).</summary>
    internal static List<string> CollectFiles(IReadOnlyList<string> arguments)
    {
        var files = new List<string>();
        foreach (string argument in arguments)
        {
            if (File.Exists(argument))
            {
                files.Add(argument);
            }
            else if (Directory.Exists(argument))
            {
                string[] found = ImageFolder.ImageFiles(argument);
                if (found.Length == 0)
                {
                    throw LunaInputException.InFile(argument, "folder holds no images (.png, .jpg, .jpeg, .bmp, .webp)");
                }
                files.AddRange(found);
            }
            else
            {
                throw LunaInputException.InFile(argument, "not found");
            }
        }
        return files;
    }

    private sealed class Summary
    {
        public int Images;
        public int Unknown;
        public int Skipped;
    }

    private static void Stream(ImageModel model, List<string> files, int batchSize, BadImagePolicy policy, string format, TextWriter writer, TextWriter stderr, Summary summary, CancellationToken ct)
    {
        var table = new TableWriter(writer);
        bool first = true;
        if (format == "csv")
        {
            writer.WriteLine("path,class,probability,luna,decision,acquaintance,percentile,unfamiliarity");
        }
        else if (format == "json")
        {
            writer.Write('[');
        }
        else
        {
            table.Header();
        }
        for (int start = 0; start < files.Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            List<string> batch = files.GetRange(start, Math.Min(batchSize, files.Count - start));
            var skipped = new List<SkippedImage>();
            (string Path, OpenSetPrediction Prediction)[] results = model.Predict(batch, policy, skipped, ct);
            foreach (SkippedImage s in skipped)
            {
                stderr.WriteLine($"luna: warning: skipped {s.Reason}");
            }
            summary.Skipped += skipped.Count;
            foreach ((string path, OpenSetPrediction p) in results)
            {
                summary.Images++;
                summary.Unknown += p.Unknown ? 1 : 0;
                switch (format)
                {
                    case "csv":
                        writer.WriteLine(string.Join(',', Csv(path), Csv(p.ClassName), Number(p.Probability), Number(p.Factor), p.Unknown ? "unknown" : "known", Csv(p.AcquaintanceName), Number(p.Percentile), Csv(p.Reading)));
                        break;
                    case "json":
                        writer.Write(first ? "\n  " : ",\n  ");
                        writer.Write(Json(path, p));
                        break;
                    default:
                        table.Row(path, p);
                        break;
                }
                first = false;
            }
            writer.Flush();
        }
        if (format == "json")
        {
            writer.WriteLine(first ? "]" : "\n]");
        }
        writer.Flush();
    }

    private static string Json(string path, OpenSetPrediction p)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("path", path);
            json.WriteString("class", p.ClassName);
            if (p.Probability is double probability)
            {
                json.WriteNumber("probability", Math.Round(probability, 6));
            }
            else
            {
                json.WriteNull("probability");
            }
            json.WriteNumber("luna", Math.Round(p.Factor, 6));
            json.WriteString("decision", p.Unknown ? "unknown" : "known");
            json.WriteString("acquaintance", p.AcquaintanceName);
            json.WriteNumber("percentile", Math.Round(p.Percentile, 2));
            json.WriteString("unfamiliarity", p.Reading);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Number(double? value) => value is double v ? v.ToString("0.######", CultureInfo.InvariantCulture) : string.Empty;

    private static string Csv(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Fixed-width rows, so that the table can be printed one batch at a time.</summary>
    private sealed class TableWriter(TextWriter writer)
    {
        private const int PathWidth = 40;
        private const int ClassWidth = 16;

        public void Header()
        {
            writer.WriteLine($"{"path",-PathWidth}  {"class",-ClassWidth}  {"prob",5}  {"luna",7}  {"decision",-8}  {"acquaintance",-ClassWidth}  unfamiliarity");
        }

        public void Row(string path, OpenSetPrediction p)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Fit(path, PathWidth, fromEnd: true),-PathWidth}  {Fit(p.ClassName, ClassWidth, false),-ClassWidth}  {(p.Probability is double q ? q.ToString("0.000", CultureInfo.InvariantCulture) : "-"),5}  {p.Factor,7:0.000}  {(p.Unknown ? "unknown" : "known"),-8}  {Fit(p.AcquaintanceName, ClassWidth, false),-ClassWidth}  {p.Reading}"));
        }

        private static string Fit(string text, int width, bool fromEnd)
            => text.Length <= width ? text : fromEnd ? "…" + text[^(width - 1)..] : text[..(width - 1)] + "…";
    }
}
