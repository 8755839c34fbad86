namespace Luna.Core.Neighbors.Kernels;

/// <summary>Shape checks shared by the kernels (one place, messages name the argument and the values).</summary>
internal static class GemmArguments
{
    /// <summary>Checks that a buffer of <paramref name="length"/> floats holds a rows × cols matrix with row stride <paramref name="ld"/>.</summary>
    public static void CheckMatrix(int length, int rows, int cols, int ld, string name)
    {
        if (rows < 0 || cols < 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name}: shape {rows} × {cols} has a negative size.");
        }
        if (rows == 0)
        {
            return;
        }
        if (ld < cols)
        {
            throw new ArgumentOutOfRangeException(name, $"{name}: row stride {ld} is smaller than the {cols} columns.");
        }
        long needed = ((long)(rows - 1) * ld) + cols;
        if (length < needed)
        {
            throw new ArgumentException($"{name}: {length} elements cannot hold {rows} × {cols} with row stride {ld} (needs {needed}).", name);
        }
    }

    /// <summary>Checks a norms vector of at least <paramref name="rows"/> entries.</summary>
    public static void CheckNorms(int length, int rows, string name)
    {
        if (length < rows)
        {
            throw new ArgumentException($"{name}: {length} norms for {rows} rows.", name);
        }
    }
}
