using Luna.Core.IO;

namespace Luna.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void A_writer_that_throws_leaves_the_old_file_and_no_temporary_file()
    {
        string dir = Directory.CreateTempSubdirectory("luna-atomic").FullName;
        try
        {
            string path = Path.Combine(dir, "out.txt");
            File.WriteAllText(path, "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteText(path, w =>
            {
                w.Write("half");
                throw new InvalidOperationException("boom");
            }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_completed_write_replaces_the_file_and_creates_missing_folders()
    {
        string dir = Directory.CreateTempSubdirectory("luna-atomic").FullName;
        try
        {
            string path = Path.Combine(dir, "a", "b", "out.txt");
            AtomicFile.WriteAllText(path, "new");
            Assert.Equal("new", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "a", "b")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
