using System.Globalization;

namespace Luna.Core.Data;

/// <summary>
/// Reads the training image count of every known class (for the many / medium / few split).
/// </summary>
/// <remarks>
/// Accepted layouts:
/// <list type="bullet">
/// <item><c>.npy</c>: an integer vector [K], element j = count of class j.</item>
/// <item>CSV with a header naming the columns <c>class</c> and <c>count</c> (other columns ignored), one row per class,
/// in any order; every class 0..K-1 must appear exactly once.</item>
/// <item>CSV without a header: one count per line, line j (from 0) = class j.</item>
/// </list>
/// Counts are integers ≥ 0. Empty lines are ignored.
/// </remarks>
public static class TrainCountsFile
{
    /// <summary>Reads the counts; element j is the training count of class j.</summary>
    /// <exception cref="LunaInputException">Missing file, malformed line (naming the line and value), negative count, duplicate or missing class.</exception>
    public static int[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int[] counts;
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            counts = Npy.ReadLabels(path);
            for (int j = 0; j < counts.Length; j++)
            {
                if (counts[j] < 0)
                {
                    throw LunaInputException.InFile(path, $"class {j}: count {counts[j]} is negative");
                }
            }
        }
        else
        {
            counts = ReadCsv(TextFile.ReadLines(path), path);
        }
        if (counts.Length == 0)
        {
            throw LunaInputException.InFile(path, "holds no class counts");
        }
        return counts;
    }

    /// <summary>Parses CSV lines; <paramref name="source"/> names them in error messages.</summary>
    public static int[] ReadCsv(IEnumerable<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var plain = new List<int>();
        var byClass = new SortedDictionary<int, int>();
        int classColumn = -1;
        int countColumn = -1;
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
                if (!IsInteger(cells[0]))
                {
                    for (int c = 0; c < cells.Length; c++)
                    {
                        string name = cells[c].Trim();
                        if (name.Equals("class", StringComparison.OrdinalIgnoreCase))
                        {
                            classColumn = c;
                        }
                        else if (name.Equals("count", StringComparison.OrdinalIgnoreCase))
                        {
                            countColumn = c;
                        }
                    }
                    if (classColumn < 0 || countColumn < 0)
                    {
                        throw LunaInputException.InFile(source, $"line 1: header '{line}' needs the columns 'class' and 'count' (or write one count per line without a header)");
                    }
                    continue;
                }
            }
            if (classColumn < 0)
            {
                if (cells.Length != 1)
                {
                    throw LunaInputException.InFile(source, $"line {lineNumber}: value '{line}' has {cells.Length} columns; without a header each line holds one count (or add the header 'class,count')");
                }
                plain.Add(ParseCount(cells[0], lineNumber, source));
                continue;
            }
            int needed = Math.Max(classColumn, countColumn) + 1;
            if (cells.Length < needed)
            {
                throw LunaInputException.InFile(source, $"line {lineNumber}: has {cells.Length} columns, the header names {needed}");
            }
            string classCell = cells[classColumn].Trim();
            if (!int.TryParse(classCell, NumberStyles.None, CultureInfo.InvariantCulture, out int cls))
            {
                throw LunaInputException.InFile(source, $"line {lineNumber}: field 'class': value '{classCell}' is not a class number ≥ 0");
            }
            int count = ParseCount(cells[countColumn], lineNumber, source);
            if (!byClass.TryAdd(cls, count))
            {
                throw LunaInputException.InFile(source, $"line {lineNumber}: field 'class': value {cls} appears twice");
            }
        }
        if (classColumn < 0)
        {
            return plain.ToArray();
        }
        var counts = new int[byClass.Count == 0 ? 0 : byClass.Keys.Max() + 1];
        for (int j = 0; j < counts.Length; j++)
        {
            if (!byClass.TryGetValue(j, out counts[j]))
            {
                throw LunaInputException.InFile(source, $"field 'class': class {j} is missing (classes must be 0..{counts.Length - 1}, each once)");
            }
        }
        return counts;
    }

    private static bool IsInteger(string cell)
        => int.TryParse(cell.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static int ParseCount(string cell, int lineNumber, string source)
    {
        string trimmed = cell.Trim();
        if (!int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int count) || count < 0)
        {
            throw LunaInputException.InFile(source, $"line {lineNumber}: field 'count': value '{trimmed}' is not a count (an integer ≥ 0)");
        }
        return count;
    }
}
