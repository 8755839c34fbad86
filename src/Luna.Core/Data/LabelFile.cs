using System.Globalization;
using Luna.Core.IO;

namespace Luna.Core.Data;

/// <summary>
/// Reads and writes label vectors as <c>.npy</c> (any integer dtype) or CSV.
/// </summary>
/// <remarks>
/// CSV layout: one label per line. An optional first line that is not an integer is a header; when the header has
/// several comma-separated columns, the column named <c>label</c> is used (otherwise the file must have exactly one
/// column). Empty lines are ignored. Unknown samples carry label -1.
/// </remarks>
public static class LabelFile
{
    /// <summary>Reads labels from <paramref name="path"/>: <c>.npy</c> by extension, otherwise CSV.</summary>
    /// <exception cref="LunaInputException">Missing file, malformed content (naming the line and value).</exception>
    public static int[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return Npy.ReadLabels(path);
        }
        return ReadCsv(TextFile.ReadLines(path), path);
    }

    /// <summary>Parses CSV lines of labels; <paramref name="source"/> names them in error messages.</summary>
    public static int[] ReadCsv(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var labels = new List<int>();
        int column = 0;
        bool first = true;
        int lineNumber = 0;
        foreach (string raw in lines)
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            string[] cells = line.Split(',');
            if (first)
            {
                first = false;
                if (!int.TryParse(cells[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || cells.Length > 1)
                {
                    column = HeaderColumn(cells, source);
                    if (column >= 0)
                    {
                        continue;
                    }
                    column = 0;
                }
            }
            if (column >= cells.Length)
            {
                throw LunaInputException.InFile(source, $"line {lineNumber}: has {cells.Length} columns, the label column is number {column + 1}");
            }
            string cell = cells[column].Trim();
            if (!int.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int label))
            {
                throw LunaInputException.InFile(source, $"line {lineNumber}: value '{cell}' is not an integer label");
            }
            labels.Add(label);
        }
        return labels.ToArray();
    }

    /// <summary>Writes labels as CSV with the header <c>label</c>, atomically.</summary>
    public static void WriteCsv(string path, ReadOnlySpan<int> labels)
    {
        int[] copy = labels.ToArray();
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine("label");
            foreach (int label in copy)
            {
                w.WriteLine(label.ToString(CultureInfo.InvariantCulture));
            }
        });
    }

    /// <summary>
    /// Returns the index of the label column when the first line is a header, or -1 when the first line is data.
    /// </summary>
    private static int HeaderColumn(string[] cells, string source)
    {
        bool allIntegers = true;
        for (int i = 0; i < cells.Length; i++)
        {
            allIntegers &= int.TryParse(cells[i].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
        }
        if (allIntegers)
        {
            if (cells.Length > 1)
            {
                throw LunaInputException.InFile(source, $"line 1: has {cells.Length} columns and no header; add a header with a column named 'label'");
            }
            return -1;
        }
        if (cells.Length == 1)
        {
            return 0;
        }
        for (int i = 0; i < cells.Length; i++)
        {
            if (string.Equals(cells[i].Trim(), "label", StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        throw LunaInputException.InFile(source, $"line 1: header '{string.Join(',', cells)}' has several columns but none named 'label'");
    }
}
