namespace Luna.Core.Data;

/// <summary>
/// The contents of a groups file: the group name of every test sample and, optionally, the original class name of
/// every unknown sample.
/// </summary>
/// <param name="Groups">Group per test sample (trimmed; the standard names known/near/far/cross lower-cased); null when the cell is empty.</param>
/// <param name="Classes">Class name per test sample (trimmed), null when empty; the whole array is null when the file has no <c>class</c> column.</param>
/// <param name="FirstDataLine">1-based line number of sample 0; sample i is on line <c>FirstDataLine + i</c>.</param>
public sealed record GroupAssignments(string?[] Groups, string?[]? Classes, int FirstDataLine);

/// <summary>
/// Reads the group of each test sample (docs/data.md: <c>near</c>, <c>far</c>, <c>cross</c>, or any other name),
/// for per-group metrics and the unfamiliarity check.
/// </summary>
/// <remarks>
/// Two layouts, every line after the header being one test sample in query order (trailing empty lines ignored):
/// <list type="bullet">
/// <item>CSV with a header naming a <c>group</c> column and optionally <c>index</c> (must then run 0, 1, 2, ...) and
/// <c>class</c> (the original class of an unknown sample, e.g. <c>Shirt</c>); other columns are ignored.</item>
/// <item>No header: one group name per line (no commas).</item>
/// </list>
/// Known samples may carry the group <c>known</c> or an empty cell; which samples are known is decided by the labels.
/// </remarks>
public static class GroupFile
{
    /// <summary>Reads a groups file.</summary>
    /// <exception cref="LunaInputException">Missing or empty file, a wrong index, a row with too few columns (naming the line and value).</exception>
    public static GroupAssignments Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(TextFile.ReadLines(path).ToArray(), path);
    }

    /// <summary>Parses the lines of a groups file; <paramref name="source"/> names it in error messages.</summary>
    public static GroupAssignments Parse(IReadOnlyList<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        int end = lines.Count;
        while (end > 0 && lines[end - 1].Trim().Length == 0)
        {
            end--;
        }
        if (end == 0)
        {
            throw LunaInputException.InFile(source, "file is empty; expected a header 'index,group[,class]' or one group name per line");
        }
        string[] headerCells = lines[0].Split(',');
        int groupColumn = -1;
        int indexColumn = -1;
        int classColumn = -1;
        for (int c = 0; c < headerCells.Length; c++)
        {
            string name = headerCells[c].Trim();
            if (name.Equals("group", StringComparison.OrdinalIgnoreCase))
            {
                groupColumn = c;
            }
            else if (name.Equals("index", StringComparison.OrdinalIgnoreCase))
            {
                indexColumn = c;
            }
            else if (name.Equals("class", StringComparison.OrdinalIgnoreCase))
            {
                classColumn = c;
            }
        }
        if (groupColumn < 0)
        {
            if (headerCells.Length > 1)
            {
                throw LunaInputException.InFile(source, $"line 1: header '{lines[0].Trim()}' has no column named 'group'");
            }
            var plain = new string?[end];
            for (int i = 0; i < end; i++)
            {
                string cell = lines[i].Trim();
                if (cell.Contains(',', StringComparison.Ordinal))
                {
                    throw LunaInputException.InFile(source, $"line {i + 1}: value '{cell}' has a comma; a file with several columns needs the header 'index,group[,class]'");
                }
                plain[i] = Metrics.UnknownGroups.Normalize(cell);
            }
            return new GroupAssignments(plain, null, 1);
        }
        int needed = Math.Max(groupColumn, Math.Max(indexColumn, classColumn)) + 1;
        int rows = end - 1;
        var groups = new string?[rows];
        string?[]? classes = classColumn >= 0 ? new string?[rows] : null;
        for (int i = 0; i < rows; i++)
        {
            int lineNumber = i + 2;
            string line = lines[i + 1];
            string[] cells = line.Split(',');
            if (cells.Length < needed)
            {
                throw LunaInputException.InFile(source, $"line {lineNumber}: value '{line.Trim()}' has {cells.Length} columns, the header names {needed}");
            }
            if (indexColumn >= 0)
            {
                string index = cells[indexColumn].Trim();
                if (!int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) || value != i)
                {
                    throw LunaInputException.InFile(source, $"line {lineNumber}: field 'index': value '{index}' should be {i} (rows in query order)");
                }
            }
            groups[i] = Metrics.UnknownGroups.Normalize(cells[groupColumn]);
            if (classes is not null)
            {
                string name = cells[classColumn].Trim();
                classes[i] = name.Length == 0 ? null : name;
            }
        }
        return new GroupAssignments(groups, classes, 2);
    }
}
