using Luna.Core;

namespace Luna.Training.Data;

/// <summary>
/// Per-channel input normalisation x' = (x - Mean[c]) / Std[c], fitted on the training images and stored in the
/// checkpoint so that extraction uses the very same numbers.
/// </summary>
/// <param name="Mean">Mean of each channel over all training pixels.</param>
/// <param name="Std">Population standard deviation of each channel (1 when a channel is constant).</param>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>Mean and population standard deviation of each channel over all pixels of <paramref name="images"/> (computed in double).</summary>
    /// <exception cref="LunaInputException">The set is empty or holds a NaN or infinite pixel.</exception>
    public static Normalization Fit(ImageData images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new LunaInputException("training images: the set is empty; cannot compute the normalisation");
        }
        int channels = images.Channels;
        int plane = images.Height * images.Width;
        var mean = new float[channels];
        var std = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            double sumSquares = 0;
            for (int i = 0; i < images.Count; i++)
            {
                ReadOnlySpan<float> values = images.Pixels.AsSpan(((i * channels) + c) * plane, plane);
                for (int k = 0; k < values.Length; k++)
                {
                    double v = values[k];
                    if (!double.IsFinite(v))
                    {
                        throw new LunaInputException($"training images: image {i}, channel {c}, pixel {k}: value {values[k]} is not finite");
                    }
                    sum += v;
                    sumSquares += v * v;
                }
            }
            double n = (double)images.Count * plane;
            double m = sum / n;
            double variance = Math.Max(0.0, (sumSquares / n) - (m * m));
            mean[c] = (float)m;
            std[c] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return new Normalization(mean, std);
    }

    /// <summary>Checks that there is one positive, finite std and one finite mean per channel.</summary>
    /// <exception cref="LunaInputException">The lengths or values are unusable.</exception>
    public void Validate(int channels)
    {
        if (Mean.Length != channels || Std.Length != channels)
        {
            throw new LunaInputException($"normalisation: {Mean.Length} means and {Std.Length} stds for {channels} channels");
        }
        for (int c = 0; c < channels; c++)
        {
            if (!float.IsFinite(Mean[c]) || !(Std[c] > 0f) || !float.IsFinite(Std[c]))
            {
                throw new LunaInputException($"normalisation: channel {c} has mean {Mean[c]} and std {Std[c]}; the std must be positive and both finite");
            }
        }
    }
}
