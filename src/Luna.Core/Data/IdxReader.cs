using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Luna.Core.Data;

/// <summary>The content of one IDX file: its dimensions and its unsigned-byte data.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Magic">The magic number, 0x00000801 (1-D) or 0x00000803 (3-D) for the files Luna reads.</param>
/// <param name="Dimensions">The dimension sizes from the header, outermost first (n, then h, w for images).</param>
/// <param name="Data">The data bytes, row-major, length = product of <paramref name="Dimensions"/>.</param>
/// <param name="Gzipped">True when the file was gzip-compressed (detected from its first two bytes, 1f 8b).</param>
/// <param name="ContentSha256">SHA-256 (lower-case hex) of the decompressed IDX content, header included. It identifies
/// the data whatever the compression: the Debian package's .gz files and the official downloads compress the same
/// content differently, so their file hashes differ but this one does not.</param>
public sealed record IdxContent(string Path, int Magic, int[] Dimensions, byte[] Data, bool Gzipped, string ContentSha256);

/// <summary>
/// Reads IDX files (the MNIST family's format, <see href="http://yann.lecun.com/exdb/mnist/"/>), gzip-compressed or plain.
/// </summary>
/// <remarks>
/// Layout: a 4-byte big-endian magic number <c>0x0000TTDD</c> (TT = element type, 0x08 = unsigned byte; DD = number of
/// dimensions), then DD big-endian 32-bit dimension sizes, then the elements in row-major order. Luna reads
/// unsigned-byte label files (magic 0x00000801: [n]) and image files (magic 0x00000803: [n, h, w]).
/// Compression is detected from the content (gzip magic 1f 8b), not from the file name.
/// Every problem (missing file, bad magic, a zero or negative dimension, a truncated file, extra bytes after the data,
/// corrupt gzip, image and label counts that differ) is a <see cref="LunaInputException"/> naming the file and the value.
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte label file with one dimension [n].</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Magic number of an unsigned-byte image file with three dimensions [n, h, w].</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Reads a label file (magic 0x00000801): one byte per sample.</summary>
    /// <returns>The labels, length n.</returns>
    /// <exception cref="LunaInputException">The file is missing, not a label IDX file, or damaged.</exception>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic).Data;

    /// <summary>Reads an image file (magic 0x00000803) and pairs it with a label file of the same length.</summary>
    /// <param name="imagesPath">IDX image file [n, h, w].</param>
    /// <param name="labelsPath">IDX label file [n].</param>
    /// <returns>The images with their labels (as stored, e.g. 0..9), without tags.</returns>
    /// <exception cref="LunaInputException">A file is missing or damaged, or the counts differ.</exception>
    public static ImageSet ReadImageSet(string imagesPath, string labelsPath)
    {
        IdxContent images = Read(imagesPath, ImagesMagic);
        IdxContent labels = Read(labelsPath, LabelsMagic);
        return ToImageSet(images, labels);
    }

    /// <summary>Pairs an image content [n, h, w] with a label content [n].</summary>
    /// <exception cref="LunaInputException">The counts differ.</exception>
    public static ImageSet ToImageSet(IdxContent images, IdxContent labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        int n = images.Dimensions[0];
        if (labels.Data.Length != n)
        {
            throw new LunaInputException($"{images.Path} and {labels.Path}: image/label count mismatch: {n} images but {labels.Data.Length} labels");
        }
        var labelArray = new int[n];
        for (int i = 0; i < n; i++)
        {
            labelArray[i] = labels.Data[i];
        }
        return new ImageSet(images.Data, images.Dimensions[1], images.Dimensions[2], labelArray);
    }

    /// <summary>Reads an IDX file whose magic number must be <paramref name="expectedMagic"/>.</summary>
    /// <param name="path">The file, gzip-compressed or plain.</param>
    /// <param name="expectedMagic"><see cref="LabelsMagic"/>, <see cref="ImagesMagic"/>, or another unsigned-byte magic 0x000008DD.</param>
    /// <exception cref="LunaInputException">The file is missing or damaged, or its magic number differs.</exception>
    public static IdxContent Read(string path, int expectedMagic)
    {
        ArgumentNullException.ThrowIfNull(path);
        if ((expectedMagic & ~0xFF) != 0x00000800 || (expectedMagic & 0xFF) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedMagic), $"0x{expectedMagic:X8} is not an unsigned-byte IDX magic number 0x000008DD.");
        }
        if (!File.Exists(path))
        {
            throw LunaInputException.InFile(path, "file not found");
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> head = stackalloc byte[2];
            int got = ReadUpTo(file, head);
            file.Position = 0;
            bool gzipped = got == 2 && head[0] == 0x1F && head[1] == 0x8B;
            using Stream stream = gzipped ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            return ReadContent(path, stream, expectedMagic, gzipped);
        }
        catch (InvalidDataException ex)
        {
            throw new LunaInputException($"{path}: corrupt gzip data ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new LunaInputException($"{path}: cannot be read ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new LunaInputException($"{path}: cannot be read ({ex.Message})", ex);
        }
    }

    private static IdxContent ReadContent(string path, Stream stream, int expectedMagic, bool gzipped)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string what = gzipped ? "decompressed content" : "file";
        Span<byte> word = stackalloc byte[4];
        int got = ReadUpTo(stream, word);
        if (got < 4)
        {
            throw LunaInputException.InFile(path, $"truncated: the {what} has {got} bytes, fewer than the 4-byte IDX magic number");
        }
        hash.AppendData(word);
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            throw LunaInputException.InFile(path, $"bad magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} ({Describe(expectedMagic)}){Hint(magic)}");
        }
        int rank = magic & 0xFF;
        var dimensions = new int[rank];
        long total = 1;
        for (int k = 0; k < rank; k++)
        {
            got = ReadUpTo(stream, word);
            if (got < 4)
            {
                throw LunaInputException.InFile(path, $"truncated: the {what} ends inside the header, at dimension {k} of {rank}");
            }
            hash.AppendData(word);
            int size = BinaryPrimitives.ReadInt32BigEndian(word);
            if (size <= 0)
            {
                throw LunaInputException.InFile(path, $"dimension {k} is {size}; every IDX dimension must be at least 1");
            }
            dimensions[k] = size;
            total *= size;
            if (total > Array.MaxLength)
            {
                throw LunaInputException.InFile(path, $"dimensions {string.Join(" × ", dimensions[..(k + 1)])} give more than {Array.MaxLength} bytes, too large to read");
            }
        }
        var data = new byte[total];
        got = ReadUpTo(stream, data);
        if (got < data.Length)
        {
            throw LunaInputException.InFile(path, $"truncated: dimensions {string.Join(" × ", dimensions)} need {data.Length} data bytes after the header, the {what} has only {got}");
        }
        hash.AppendData(data);
        Span<byte> extra = stackalloc byte[1];
        if (ReadUpTo(stream, extra) != 0)
        {
            throw LunaInputException.InFile(path, $"the {what} has extra bytes after the {data.Length} data bytes of dimensions {string.Join(" × ", dimensions)} (wrong dimensions in the header?)");
        }
        string sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        return new IdxContent(path, magic, dimensions, data, gzipped, sha);
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    private static string Describe(int magic) => magic switch
    {
        LabelsMagic => "IDX unsigned-byte labels, 1 dimension",
        ImagesMagic => "IDX unsigned-byte images, 3 dimensions",
        _ => $"IDX unsigned-byte, {magic & 0xFF} dimensions",
    };

    private static string Hint(int magic) => magic switch
    {
        LabelsMagic => "; this is a label file",
        ImagesMagic => "; this is an image file",
        _ when (magic & ~0xFFFF) != 0 => "; this is not an IDX file",
        _ => string.Empty,
    };
}
