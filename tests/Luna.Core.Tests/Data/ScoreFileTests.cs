using Luna.Core.Data;
using Luna.Core.Scoring;

namespace Luna.Core.Tests.Data;

public class ScoreFileTests
{
    [Fact]
    public void Scores_and_acquaintances_round_trip_exactly()
    {
        string path = Path.Combine(Path.GetTempPath(), $"luna-scores-{Guid.NewGuid():N}.csv");
        try
        {
            var scores = new NoveltyScores(new[] { 1.0 / 3.0, -2.5e-17, 1e300 }, new[] { 2, -1, 0 });
            ScoreFile.Write(path, scores);
            string[] lines = File.ReadAllLines(path);
            Assert.Equal("index,score,acquaintance", lines[0]);
            Assert.EndsWith(",", lines[2]);
            NoveltyScores back = ScoreFile.Read(path);
            Assert.Equal(scores.Scores, back.Scores);
            Assert.Equal(scores.Acquaintance, back.Acquaintance);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Scores_without_acquaintances_read_back_with_none()
    {
        string path = Path.Combine(Path.GetTempPath(), $"luna-scores-{Guid.NewGuid():N}.csv");
        try
        {
            ScoreFile.Write(path, new NoveltyScores(new[] { 0.5, 0.25 }, null));
            Assert.Null(ScoreFile.Read(path).Acquaintance);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("index,score\n0,1\n", "line 1: header")]
    [InlineData("index,score,acquaintance\n0,NaN,\n", "line 2: field 'score': value 'NaN'")]
    [InlineData("index,score,acquaintance\n1,0.5,\n", "line 2: field 'index': value '1' should be 0")]
    [InlineData("index,score,acquaintance\n0,0.5,x\n", "field 'acquaintance': value 'x'")]
    [InlineData("", "file is empty")]
    public void A_malformed_scores_file_is_an_error_naming_the_line_and_value(string content, string expected)
    {
        string path = Path.Combine(Path.GetTempPath(), $"luna-scores-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, content);
            var ex = Assert.Throws<LunaInputException>(() => ScoreFile.Read(path));
            Assert.Contains(expected, ex.Message);
            Assert.StartsWith(path, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
