using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class NpyTests
{
    private static readonly float[] s_expected = { 1.5f, -2.25f, 3.0f, 0.125f, 1e-3f, -7.0f };

    [Theory]
    [InlineData("f4_2x3.npy")]
    [InlineData("f8_2x3.npy")]
    [InlineData("f4_big_endian_2x3.npy")]
    [InlineData("f4_v2_2x3.npy")]
    public void A_matrix_saved_by_numpy_reads_back_with_its_shape_and_values(string file)
    {
        FeatureMatrix m = Npy.ReadMatrix(Fixture.Path("npy", file));
        Assert.Equal(2, m.Rows);
        Assert.Equal(3, m.Columns);
        Assert.Equal(s_expected, m.Data.ToArray());
    }

    [Fact]
    public void The_version_two_fixture_really_has_a_version_two_header()
    {
        byte[] bytes = File.ReadAllBytes(Fixture.Path("npy", "f4_v2_2x3.npy"));
        Assert.Equal(2, bytes[6]);
    }

    [Fact]
    public void A_written_matrix_is_byte_for_byte_what_numpy_saves()
    {
        var m = new FeatureMatrix((float[])s_expected.Clone(), 2, 3);
        using var stream = new MemoryStream();
        Npy.WriteMatrix(stream, m);
        Assert.Equal(File.ReadAllBytes(Fixture.Path("npy", "f4_2x3.npy")), stream.ToArray());
    }

    [Fact]
    public void Written_labels_are_byte_for_byte_what_numpy_saves()
    {
        using var stream = new MemoryStream();
        Npy.WriteLabels(stream, new[] { 0, 3, -1, 2, 6 });
        Assert.Equal(File.ReadAllBytes(Fixture.Path("npy", "i4_labels.npy")), stream.ToArray());
    }

    [Theory]
    [InlineData("i8_labels.npy")]
    [InlineData("i4_labels.npy")]
    [InlineData("i4_labels_column.npy")]
    public void Integer_labels_of_any_width_read_as_int32(string file)
    {
        Assert.Equal(new[] { 0, 3, -1, 2, 6 }, Npy.ReadLabels(Fixture.Path("npy", file)));
    }

    [Fact]
    public void Unsigned_byte_labels_read_without_sign_extension()
    {
        Assert.Equal(new[] { 0, 3, 255 }, Npy.ReadLabels(Fixture.Path("npy", "u1_labels.npy")));
    }

    [Fact]
    public void A_file_round_trips_through_disk()
    {
        string dir = Directory.CreateTempSubdirectory("luna-npy").FullName;
        try
        {
            string path = Path.Combine(dir, "m.npy");
            var m = new FeatureMatrix(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 4, 2);
            Npy.WriteMatrix(path, m);
            Assert.Equal(m.Data.ToArray(), Npy.ReadMatrix(path).Data.ToArray());
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("f4_fortran_2x3.npy", "fortran_order")]
    [InlineData("object.npy", "descr")]
    [InlineData("f4_3d.npy", "(2, 2, 2)")]
    [InlineData("f4_1d.npy", "(3,)")]
    [InlineData("f4_truncated.npy", "truncated")]
    [InlineData("i8_labels.npy", "'<i8'")]
    [InlineData("make_npy_fixtures.py", "magic")]
    public void A_matrix_file_that_cannot_be_used_is_an_error_naming_the_file_and_field(string file, string expected)
    {
        string path = Fixture.Path("npy", file);
        var ex = Assert.Throws<LunaInputException>(() => Npy.ReadMatrix(path));
        Assert.StartsWith(path + ":", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("f4_2x3.npy", "'<f4'")]
    [InlineData("object.npy", "descr")]
    public void A_label_file_that_is_not_an_integer_vector_is_an_error(string file, string expected)
    {
        var ex = Assert.Throws<LunaInputException>(() => Npy.ReadLabels(Fixture.Path("npy", file)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_the_path()
    {
        var ex = Assert.Throws<LunaInputException>(() => Npy.ReadMatrix("/no/such/file.npy"));
        Assert.Equal("/no/such/file.npy: file not found", ex.Message);
    }
}
