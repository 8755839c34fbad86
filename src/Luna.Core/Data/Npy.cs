using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Luna.Core.IO;

namespace Luna.Core.Data;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0).
/// </summary>
/// <remarks>
/// Supported arrays: C-order (<c>fortran_order: False</c>) matrices [n, d] of float32 (<c>f4</c>) or float64
/// (<c>f8</c>, converted to float32) for features and logits, and vectors [n] (or [n, 1]) of signed or unsigned
/// integers (1, 2, 4 or 8 bytes) for labels. Either byte order is accepted. Anything else (Fortran order, object or
/// structured arrays, a wrong number of dimensions, a truncated file) is a <see cref="LunaInputException"/> that
/// names the file and the offending header field. Writing always produces version 1.0, little-endian,
/// <c>&lt;f4</c> matrices and <c>&lt;i4</c> label vectors, through <see cref="AtomicFile"/>.
/// </remarks>
public static class Npy
{
    private static readonly byte[] s_magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Reads a float32 or float64 matrix [n, d] as float32.</summary>
    /// <exception cref="LunaInputException">Missing file, bad header, wrong dtype or shape, truncated data.</exception>
    public static FeatureMatrix ReadMatrix(string path)
    {
        using FileStream stream = OpenRead(path);
        return ReadMatrix(stream, path);
    }

    /// <summary>Reads a matrix from a stream; <paramref name="source"/> names it in error messages.</summary>
    public static FeatureMatrix ReadMatrix(Stream stream, string source)
    {
        NpyHeader header = ReadHeader(stream, source);
        if (header.Kind != 'f' || (header.ItemSize != 4 && header.ItemSize != 8))
        {
            throw LunaInputException.InFile(source, $"field 'descr': value '{header.Descr}' is not a float32 or float64 array (features and logits must be f4 or f8)");
        }
        if (header.Shape.Length != 2)
        {
            throw LunaInputException.InFile(source, $"field 'shape': value {header.ShapeText} is not a 2-D matrix [n, d]");
        }
        int rows = ToInt(header.Shape[0], source);
        int columns = ToInt(header.Shape[1], source);
        long count = (long)rows * columns;
        if (count > Array.MaxLength)
        {
            throw LunaInputException.InFile(source, $"field 'shape': value {header.ShapeText} holds {count} values, more than one array can hold");
        }
        var data = new float[count];
        if (header.ItemSize == 4)
        {
            Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan());
            ReadExactly(stream, bytes, source, count * 4);
            if (header.BigEndian)
            {
                Span<int> asInt = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(asInt, asInt);
            }
        }
        else
        {
            const int Chunk = 1 << 16;
            var buffer = new byte[Chunk * 8];
            for (long start = 0; start < count; start += Chunk)
            {
                int n = (int)Math.Min(Chunk, count - start);
                Span<byte> span = buffer.AsSpan(0, n * 8);
                ReadExactly(stream, span, source, count * 8);
                for (int i = 0; i < n; i++)
                {
                    long bits = header.BigEndian
                        ? BinaryPrimitives.ReadInt64BigEndian(span.Slice(i * 8, 8))
                        : BinaryPrimitives.ReadInt64LittleEndian(span.Slice(i * 8, 8));
                    data[start + i] = (float)BitConverter.Int64BitsToDouble(bits);
                }
            }
        }
        return new FeatureMatrix(data, rows, columns);
    }

    /// <summary>Reads an integer vector [n] (or [n, 1]) of labels as int32.</summary>
    /// <exception cref="LunaInputException">Missing file, bad header, non-integer dtype, wrong shape, value out of int32 range, truncated data.</exception>
    public static int[] ReadLabels(string path)
    {
        using FileStream stream = OpenRead(path);
        return ReadLabels(stream, path);
    }

    /// <summary>Reads labels from a stream; <paramref name="source"/> names it in error messages.</summary>
    public static int[] ReadLabels(Stream stream, string source)
    {
        NpyHeader header = ReadHeader(stream, source);
        if ((header.Kind != 'i' && header.Kind != 'u') || header.ItemSize is not (1 or 2 or 4 or 8))
        {
            throw LunaInputException.InFile(source, $"field 'descr': value '{header.Descr}' is not an integer array (labels must be int8..int64 or uint8..uint64)");
        }
        bool vector = header.Shape.Length == 1 || (header.Shape.Length == 2 && header.Shape[1] == 1);
        if (!vector)
        {
            throw LunaInputException.InFile(source, $"field 'shape': value {header.ShapeText} is not a label vector [n]");
        }
        int n = ToInt(header.Shape[0], source);
        var bytes = new byte[(long)n * header.ItemSize];
        ReadExactly(stream, bytes, source, bytes.LongLength);
        var labels = new int[n];
        int size = header.ItemSize;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> b = bytes.AsSpan(i * size, size);
            long value = (header.Kind, size, header.BigEndian) switch
            {
                ('i', 1, _) => (sbyte)b[0],
                ('u', 1, _) => b[0],
                ('i', 2, false) => BinaryPrimitives.ReadInt16LittleEndian(b),
                ('i', 2, true) => BinaryPrimitives.ReadInt16BigEndian(b),
                ('u', 2, false) => BinaryPrimitives.ReadUInt16LittleEndian(b),
                ('u', 2, true) => BinaryPrimitives.ReadUInt16BigEndian(b),
                ('i', 4, false) => BinaryPrimitives.ReadInt32LittleEndian(b),
                ('i', 4, true) => BinaryPrimitives.ReadInt32BigEndian(b),
                ('u', 4, false) => BinaryPrimitives.ReadUInt32LittleEndian(b),
                ('u', 4, true) => BinaryPrimitives.ReadUInt32BigEndian(b),
                ('i', 8, false) => BinaryPrimitives.ReadInt64LittleEndian(b),
                ('i', 8, true) => BinaryPrimitives.ReadInt64BigEndian(b),
                ('u', 8, false) => UInt64ToLong(BinaryPrimitives.ReadUInt64LittleEndian(b)),
                _ => UInt64ToLong(BinaryPrimitives.ReadUInt64BigEndian(b)),
            };
            if (value < int.MinValue || value > int.MaxValue)
            {
                throw LunaInputException.InFile(source, $"element {i}: value {value} is outside the int32 range of a label");
            }
            labels[i] = (int)value;
        }
        return labels;
    }

    /// <summary>Writes a matrix as a version 1.0 <c>&lt;f4</c> C-order .npy file, atomically.</summary>
    public static void WriteMatrix(string path, FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.Write(path, stream => WriteMatrix(stream, matrix));
    }

    /// <summary>Writes a matrix as a version 1.0 <c>&lt;f4</c> C-order .npy stream.</summary>
    public static void WriteMatrix(Stream stream, FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        WriteHeader(stream, "<f4", $"({matrix.Rows}, {matrix.Columns})");
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes<float>(matrix.Data));
        }
        else
        {
            throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        }
    }

    /// <summary>Writes labels as a version 1.0 <c>&lt;i4</c> .npy file [n], atomically.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<int> labels)
    {
        int[] copy = labels.ToArray();
        AtomicFile.Write(path, stream => WriteLabels(stream, copy));
    }

    /// <summary>Writes labels as a version 1.0 <c>&lt;i4</c> .npy stream [n].</summary>
    public static void WriteLabels(Stream stream, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WriteHeader(stream, "<i4", $"({labels.Length},)");
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        }
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels));
    }

    private static void WriteHeader(Stream stream, string descr, string shape)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // magic(6) + version(2) + length(2) + dict + padding + '\n' is a multiple of 64.
        int unpadded = 10 + dict.Length + 1;
        int padding = (64 - (unpadded % 64)) % 64;
        string header = dict + new string(' ', padding) + "\n";
        stream.Write(s_magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
    }

    private static FileStream OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw LunaInputException.InFile(path, "file not found");
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static long UInt64ToLong(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static int ToInt(long value, string source)
    {
        if (value > int.MaxValue)
        {
            throw LunaInputException.InFile(source, $"field 'shape': dimension {value} is larger than {int.MaxValue}");
        }
        return (int)value;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source, long expectedDataBytes)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                throw LunaInputException.InFile(source, $"file is truncated: the header promises {expectedDataBytes} data bytes but the file ends early");
            }
            total += read;
        }
    }

    internal readonly record struct NpyHeader(string Descr, char Kind, int ItemSize, bool BigEndian, long[] Shape)
    {
        public string ShapeText => Shape.Length == 1 ? $"({Shape[0]},)" : "(" + string.Join(", ", Shape) + ")";
    }

    internal static NpyHeader ReadHeader(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < 8 || !prefix[..6].SequenceEqual(s_magic))
        {
            throw LunaInputException.InFile(source, "not a .npy file: the magic string \\x93NUMPY is missing");
        }
        byte major = prefix[6];
        int headerLength;
        Encoding encoding;
        switch (major)
        {
            case 1:
            {
                Span<byte> len = stackalloc byte[2];
                ReadHeaderBytes(stream, len, source);
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
                encoding = Encoding.Latin1;
                break;
            }
            case 2:
            case 3:
            {
                Span<byte> len = stackalloc byte[4];
                ReadHeaderBytes(stream, len, source);
                uint value = BinaryPrimitives.ReadUInt32LittleEndian(len);
                if (value > 1 << 24)
                {
                    throw LunaInputException.InFile(source, $"field 'header length': value {value} is implausibly large");
                }
                headerLength = (int)value;
                encoding = major == 3 ? Encoding.UTF8 : Encoding.Latin1;
                break;
            }
            default:
                throw LunaInputException.InFile(source, $"field 'version': value {major}.{prefix[7]} is not a supported .npy format version (1.0, 2.0, 3.0)");
        }
        var headerBytes = new byte[headerLength];
        ReadHeaderBytes(stream, headerBytes, source);
        string text = encoding.GetString(headerBytes);
        Dictionary<string, string> fields = ParseDict(text, source);
        string descr = Unquote(Require(fields, "descr", source), "descr", source);
        string fortran = Require(fields, "fortran_order", source);
        if (fortran != "False")
        {
            throw LunaInputException.InFile(source, $"field 'fortran_order': value {fortran} is not supported; save the array in C order (numpy.ascontiguousarray)");
        }
        long[] shape = ParseShape(Require(fields, "shape", source), source);
        (char kind, int size, bool bigEndian) = ParseDescr(descr, source);
        return new NpyHeader(descr, kind, size, bigEndian, shape);
    }

    private static void ReadHeaderBytes(Stream stream, Span<byte> buffer, string source)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw LunaInputException.InFile(source, "file is truncated inside the .npy header");
        }
    }

    private static string Require(Dictionary<string, string> fields, string key, string source)
        => fields.TryGetValue(key, out string? value)
            ? value
            : throw LunaInputException.InFile(source, $"field '{key}' is missing from the .npy header");

    private static string Unquote(string value, string field, string source)
    {
        if (value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0])
        {
            return value[1..^1];
        }
        throw LunaInputException.InFile(source, $"field '{field}': value {Truncate(value)} is not a plain dtype string (structured or object arrays are not supported)");
    }

    private static (char Kind, int Size, bool BigEndian) ParseDescr(string descr, string source)
    {
        if (descr.Length >= 3 && (descr[0] is '<' or '>' or '|' or '='))
        {
            char kind = descr[1];
            if (int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size) && kind is 'f' or 'i' or 'u')
            {
                bool big = descr[0] == '>' || (descr[0] == '=' && !BitConverter.IsLittleEndian);
                return (kind, size, big);
            }
        }
        throw LunaInputException.InFile(source, $"field 'descr': value '{descr}' is not a supported dtype (float32/float64 features, integer labels; object and structured arrays are not supported)");
    }

    private static long[] ParseShape(string value, string source)
    {
        string trimmed = value.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '(' || trimmed[^1] != ')')
        {
            throw LunaInputException.InFile(source, $"field 'shape': value {Truncate(value)} is not a tuple");
        }
        string[] parts = trimmed[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i].TrimEnd('L');
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw LunaInputException.InFile(source, $"field 'shape': value {Truncate(value)} has a non-integer dimension '{parts[i]}'");
            }
        }
        return shape;
    }

    /// <summary>Parses the header's Python dict literal into raw value strings (top-level keys only).</summary>
    private static Dictionary<string, string> ParseDict(string text, string source)
    {
        string s = text.Trim();
        if (s.Length < 2 || s[0] != '{' || s[^1] != '}')
        {
            throw LunaInputException.InFile(source, $"the .npy header {Truncate(s)} is not a Python dict");
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = 1;
        while (i < s.Length - 1)
        {
            while (i < s.Length - 1 && (char.IsWhiteSpace(s[i]) || s[i] == ','))
            {
                i++;
            }
            if (i >= s.Length - 1)
            {
                break;
            }
            char quote = s[i];
            if (quote is not ('\'' or '"'))
            {
                throw LunaInputException.InFile(source, $"the .npy header {Truncate(s)} has a key that is not a string");
            }
            int keyEnd = s.IndexOf(quote, i + 1);
            if (keyEnd < 0)
            {
                throw LunaInputException.InFile(source, $"the .npy header {Truncate(s)} has an unterminated key");
            }
            string key = s[(i + 1)..keyEnd];
            i = s.IndexOf(':', keyEnd);
            if (i < 0)
            {
                throw LunaInputException.InFile(source, $"the .npy header {Truncate(s)} has a key without a value");
            }
            i++;
            int start = i;
            int depth = 0;
            char inString = '\0';
            for (; i < s.Length - 1; i++)
            {
                char c = s[i];
                if (inString != '\0')
                {
                    if (c == inString)
                    {
                        inString = '\0';
                    }
                    continue;
                }
                if (c is '\'' or '"')
                {
                    inString = c;
                }
                else if (c is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (c is ')' or ']' or '}')
                {
                    depth--;
                }
                else if (c == ',' && depth == 0)
                {
                    break;
                }
            }
            fields[key] = s[start..i].Trim();
        }
        return fields;
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
