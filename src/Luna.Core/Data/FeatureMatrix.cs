using System.Numerics.Tensors;

namespace Luna.Core.Data;

/// <summary>
/// An n×d matrix of 32-bit floats stored contiguously in row-major (C) order: element (i, j) is at
/// <c>Data[i * Columns + j]</c>. Rows are samples, columns are feature dimensions (or logits).
/// </summary>
/// <remarks>
/// The matrix owns its buffer. Methods that transform it (<see cref="L2Normalized"/>, <see cref="SelectRows"/>)
/// return a new matrix and leave this one unchanged.
/// </remarks>
public sealed class FeatureMatrix
{
    private readonly float[] _data;

    /// <summary>Wraps <paramref name="data"/> (length rows × columns, row-major) without copying.</summary>
    /// <exception cref="ArgumentException">The length does not equal rows × columns, or a size is negative.</exception>
    public FeatureMatrix(float[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != data.LongLength)
        {
            throw new ArgumentException($"data has {data.LongLength} elements, expected rows × columns = {rows} × {columns} = {(long)rows * columns}.", nameof(data));
        }
        _data = data;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Creates a zero-filled rows × columns matrix.</summary>
    public FeatureMatrix(int rows, int columns)
        : this(new float[checked(rows * columns)], rows, columns)
    {
    }

    /// <summary>Number of rows (samples), n.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (dimensions), d.</summary>
    public int Columns { get; }

    /// <summary>The whole buffer, row-major, length <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public Span<float> Data => _data;

    /// <summary>The underlying array (row-major), for APIs that need an array.</summary>
    public float[] Array => _data;

    /// <summary>Element (row, column).</summary>
    public float this[int row, int column]
    {
        get => _data[(row * Columns) + column];
        set => _data[(row * Columns) + column] = value;
    }

    /// <summary>Row <paramref name="row"/> as a span of length <see cref="Columns"/>.</summary>
    public Span<float> Row(int row) => _data.AsSpan(row * Columns, Columns);

    /// <summary>Builds a matrix from jagged rows (all of the same length).</summary>
    /// <exception cref="ArgumentException">Rows have different lengths.</exception>
    public static FeatureMatrix FromRows(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int d = rows.Count == 0 ? 0 : rows[0].Length;
        var m = new FeatureMatrix(rows.Count, d);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != d)
            {
                throw new ArgumentException($"row {i} has {rows[i].Length} values, row 0 has {d}.", nameof(rows));
            }
            rows[i].CopyTo(m.Row(i));
        }
        return m;
    }

    /// <summary>A copy whose rows are scaled to unit Euclidean norm: x / max(||x||₂, 1e-12). Zero rows stay zero.</summary>
    public FeatureMatrix L2Normalized()
    {
        var result = new FeatureMatrix(Rows, Columns);
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<float> source = Row(i);
            float norm = TensorPrimitives.Norm(source);
            TensorPrimitives.Multiply(source, 1f / MathF.Max(norm, 1e-12f), result.Row(i));
        }
        return result;
    }

    /// <summary>A new matrix holding the rows listed in <paramref name="indices"/>, in that order.</summary>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> indices)
    {
        var result = new FeatureMatrix(indices.Length, Columns);
        for (int i = 0; i < indices.Length; i++)
        {
            Row(indices[i]).CopyTo(result.Row(i));
        }
        return result;
    }

    /// <summary>
    /// Throws <see cref="LunaInputException"/> naming <paramref name="source"/>, the row, the column and the value
    /// when any element is NaN or infinite.
    /// </summary>
    /// <param name="source">What to call the matrix in the message, usually its file path.</param>
    public void EnsureFinite(string source)
    {
        ReadOnlySpan<float> data = _data;
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                int row = Columns == 0 ? 0 : i / Columns;
                int column = Columns == 0 ? 0 : i % Columns;
                throw LunaInputException.InFile(source, $"row {row}, column {column}: value {data[i]} is not finite (NaN or infinite values cannot be scored)");
            }
        }
    }
}
