using System.Globalization;
using Luna.Core.IO;
using Luna.Core.Scoring;

namespace Luna.Core.Data;

/// <summary>
/// The scores CSV written by <c>luna score</c> and read by <c>luna metrics</c>: header <c>index,score,acquaintance</c>,
/// one row per query in query order; <c>score</c> follows the sign convention higher = more novel and is written
/// with round-trip precision; <c>acquaintance</c> is the class the query was judged against, or empty.
/// </summary>
public static class ScoreFile
{
    /// <summary>The header line.</summary>
    public const string Header = "index,score,acquaintance";

    /// <summary>Writes <paramref name="scores"/> atomically.</summary>
    public static void Write(string path, NoveltyScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(Header);
            for (int i = 0; i < scores.Scores.Length; i++)
            {
                string acquaintance = scores.Acquaintance is { } a && a[i] >= 0 ? a[i].ToString(CultureInfo.InvariantCulture) : string.Empty;
                w.Write(i.ToString(CultureInfo.InvariantCulture));
                w.Write(',');
                w.Write(scores.Scores[i].ToString("R", CultureInfo.InvariantCulture));
                w.Write(',');
                w.WriteLine(acquaintance);
            }
        });
    }

    /// <summary>
    /// Reads a scores CSV. Rows must be in index order 0..m-1. When no row has an acquaintance,
    /// <see cref="NoveltyScores.Acquaintance"/> is null; otherwise missing ones are -1.
    /// </summary>
    /// <exception cref="LunaInputException">Missing file, wrong header, a malformed or non-finite value (naming the line and value).</exception>
    public static NoveltyScores Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var scores = new List<double>();
        var acquaintances = new List<int>();
        bool anyAcquaintance = false;
        int lineNumber = 0;
        foreach (string raw in TextFile.ReadLines(path))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (lineNumber == 1)
            {
                if (!string.Equals(line.Trim(), Header, StringComparison.Ordinal))
                {
                    throw LunaInputException.InFile(path, $"line 1: header '{line}' is not '{Header}'");
                }
                continue;
            }
            if (line.Trim().Length == 0)
            {
                continue;
            }
            string[] cells = line.Split(',');
            if (cells.Length != 3)
            {
                throw LunaInputException.InFile(path, $"line {lineNumber}: has {cells.Length} fields, expected 3 (index,score,acquaintance)");
            }
            if (!int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index != scores.Count)
            {
                throw LunaInputException.InFile(path, $"line {lineNumber}: field 'index': value '{cells[0]}' should be {scores.Count} (rows in query order)");
            }
            if (!double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double score) || !double.IsFinite(score))
            {
                throw LunaInputException.InFile(path, $"line {lineNumber}: field 'score': value '{cells[1]}' is not a finite number");
            }
            int acquaintance = -1;
            if (cells[2].Length > 0)
            {
                if (!int.TryParse(cells[2], NumberStyles.None, CultureInfo.InvariantCulture, out acquaintance))
                {
                    throw LunaInputException.InFile(path, $"line {lineNumber}: field 'acquaintance': value '{cells[2]}' is not a class number or empty");
                }
                anyAcquaintance = true;
            }
            scores.Add(score);
            acquaintances.Add(acquaintance);
        }
        if (lineNumber == 0)
        {
            throw LunaInputException.InFile(path, $"file is empty; expected the header '{Header}'");
        }
        return new NoveltyScores(scores.ToArray(), anyAcquaintance ? acquaintances.ToArray() : null);
    }
}
