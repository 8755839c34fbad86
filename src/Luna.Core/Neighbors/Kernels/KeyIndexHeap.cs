using System.Numerics;

namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// A bounded max-heap of (key, index) pairs stored in two parallel spans, ordered lexicographically: (k1, i1) is worse
/// than (k2, i2) when k1 &gt; k2, or k1 = k2 and i1 &gt; i2. The root holds the worst kept pair, so a heap of capacity k
/// keeps the k best (smallest key, ties to the lower index) of everything offered, in O(log k) per accepted pair.
/// </summary>
internal static class KeyIndexHeap
{
    /// <summary>True when (key1, index1) comes after (key2, index2) in the order (key ascending, then index ascending).</summary>
    public static bool IsWorse<T>(T key1, int index1, T key2, int index2)
        where T : INumber<T>
        => key1 > key2 || (key1 == key2 && index1 > index2);

    /// <summary>
    /// Offers (key, index) to the heap of <paramref name="count"/> pairs and capacity <c>keys.Length</c>: appended while
    /// not full, otherwise it replaces the root when it is better. Returns true when the heap changed.
    /// </summary>
    public static bool Offer<T>(Span<T> keys, Span<int> indices, ref int count, T key, int index)
        where T : INumber<T>
    {
        if (count < keys.Length)
        {
            SiftUp(keys, indices, count, key, index);
            count++;
            return true;
        }
        if (keys.Length == 0 || !IsWorse(keys[0], indices[0], key, index))
        {
            return false;
        }
        SiftDown(keys, indices, count, key, index);
        return true;
    }

    /// <summary>Sorts the <paramref name="count"/> heap entries in place into ascending (key, index) order (heap sort).</summary>
    public static void SortAscending<T>(Span<T> keys, Span<int> indices, int count)
        where T : INumber<T>
    {
        for (int end = count - 1; end > 0; end--)
        {
            T rootKey = keys[0];
            int rootIndex = indices[0];
            T lastKey = keys[end];
            int lastIndex = indices[end];
            keys[end] = rootKey;
            indices[end] = rootIndex;
            SiftDown(keys, indices, end, lastKey, lastIndex);
        }
    }

    private static void SiftUp<T>(Span<T> keys, Span<int> indices, int position, T key, int index)
        where T : INumber<T>
    {
        while (position > 0)
        {
            int parent = (position - 1) >> 1;
            if (!IsWorse(key, index, keys[parent], indices[parent]))
            {
                break;
            }
            keys[position] = keys[parent];
            indices[position] = indices[parent];
            position = parent;
        }
        keys[position] = key;
        indices[position] = index;
    }

    /// <summary>Places (key, index) at the root of a heap of <paramref name="count"/> entries and restores the heap order.</summary>
    private static void SiftDown<T>(Span<T> keys, Span<int> indices, int count, T key, int index)
        where T : INumber<T>
    {
        int position = 0;
        while (true)
        {
            int child = (2 * position) + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && IsWorse(keys[child + 1], indices[child + 1], keys[child], indices[child]))
            {
                child++;
            }
            if (!IsWorse(keys[child], indices[child], key, index))
            {
                break;
            }
            keys[position] = keys[child];
            indices[position] = indices[child];
            position = child;
        }
        keys[position] = key;
        indices[position] = index;
    }
}
