using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using Luna.Core;
using Luna.Core.Bundles;
using Luna.Core.Data;

namespace Luna.Vision.Heads;

/// <summary>
/// The head trained on a frozen backbone's features, applied in managed code (no native dependency at prediction):
/// <code>
/// x̂ = (x - mu) / sigma                        per input dimension (mu, sigma of the training inputs)
/// f  = W_p x̂ + b_p                            the projection, D × I (when present; otherwise f = x̂, D = I)
/// z  = W f + b                                 the classifier, K × D
/// </code>
/// f are the features LUNA scores and the center loss pulled together; z the logits.
/// </summary>
public sealed class LinearHead
{
    private readonly float[] _mean;
    private readonly float[] _inverseStd;
    private readonly float[]? _projectionWeight;
    private readonly float[]? _projectionBias;
    private readonly float[] _classifierWeight;
    private readonly float[] _classifierBias;

    /// <summary>Wraps trained weights (row-major), checking their lengths.</summary>
    /// <param name="mean">mu, length I.</param>
    /// <param name="std">sigma &gt; 0, length I.</param>
    /// <param name="projectionWeight">W_p, D × I, or null for no projection.</param>
    /// <param name="projectionBias">b_p, length D, or null.</param>
    /// <param name="classifierWeight">W, K × D.</param>
    /// <param name="classifierBias">b, length K.</param>
    /// <exception cref="LunaInputException">The lengths do not fit together.</exception>
    public LinearHead(float[] mean, float[] std, float[]? projectionWeight, float[]? projectionBias, float[] classifierWeight, float[] classifierBias)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        ArgumentNullException.ThrowIfNull(classifierWeight);
        ArgumentNullException.ThrowIfNull(classifierBias);
        InputDim = mean.Length;
        if (std.Length != InputDim || InputDim == 0)
        {
            throw new LunaInputException($"head: {mean.Length} input means and {std.Length} stds");
        }
        if ((projectionWeight is null) != (projectionBias is null))
        {
            throw new LunaInputException("head: the projection needs both its weight and its bias");
        }
        FeatureDim = projectionBias?.Length ?? InputDim;
        if (projectionWeight is not null && projectionWeight.Length != FeatureDim * InputDim)
        {
            throw new LunaInputException($"head: projection weight has {projectionWeight.Length} values, expected D × I = {FeatureDim} × {InputDim}");
        }
        ClassCount = classifierBias.Length;
        if (ClassCount < 2 || classifierWeight.Length != ClassCount * FeatureDim)
        {
            throw new LunaInputException($"head: classifier weight has {classifierWeight.Length} values, expected K × D = {ClassCount} × {FeatureDim}");
        }
        _mean = mean;
        _inverseStd = new float[InputDim];
        for (int j = 0; j < InputDim; j++)
        {
            if (!(std[j] > 0) || !float.IsFinite(std[j]))
            {
                throw new LunaInputException($"head: input std {j} is {std[j]}; it must be positive and finite");
            }
            _inverseStd[j] = 1f / std[j];
        }
        Std = std;
        _projectionWeight = projectionWeight;
        _projectionBias = projectionBias;
        _classifierWeight = classifierWeight;
        _classifierBias = classifierBias;
    }

    /// <summary>Input dimension I.</summary>
    public int InputDim { get; }

    /// <summary>Feature dimension D.</summary>
    public int FeatureDim { get; }

    /// <summary>Number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>Whether the head projects (D × I) before classifying.</summary>
    public bool HasProjection => _projectionWeight is not null;

    /// <summary>mu.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>sigma.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>Features [n, D] and logits [n, K] of backbone features [n, I]; rows in parallel.</summary>
    /// <exception cref="LunaInputException">The inputs' dimension is not I.</exception>
    public (FeatureMatrix Features, FeatureMatrix Logits) Apply(FeatureMatrix inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Columns != InputDim)
        {
            throw new LunaInputException($"head: inputs have {inputs.Columns} columns, the head takes {InputDim}");
        }
        int n = inputs.Rows;
        var features = new FeatureMatrix(n, FeatureDim);
        var logits = new FeatureMatrix(n, ClassCount);
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new float[InputDim], (i, _, scaled) =>
        {
            ReadOnlySpan<float> x = inputs.Row(i);
            TensorPrimitives.Subtract(x, _mean, scaled);
            TensorPrimitives.Multiply(scaled, _inverseStd, scaled);
            Span<float> f = features.Row(i);
            if (_projectionWeight is null)
            {
                scaled.CopyTo(f);
            }
            else
            {
                for (int d = 0; d < FeatureDim; d++)
                {
                    f[d] = _projectionBias![d] + TensorPrimitives.Dot(_projectionWeight.AsSpan(d * InputDim, InputDim), scaled);
                }
            }
            Span<float> z = logits.Row(i);
            for (int k = 0; k < ClassCount; k++)
            {
                z[k] = _classifierBias[k] + TensorPrimitives.Dot(_classifierWeight.AsSpan(k * FeatureDim, FeatureDim), f);
            }
            return scaled;
        }, _ => { });
        return (features, logits);
    }

    /// <summary>Adds the head's arrays to a model file as <c>.npy</c> entries under <paramref name="prefix"/>; returns their description for the manifest.</summary>
    public JsonObject WriteTo(ModelBundle.Writer writer, string prefix)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.AddMatrix(prefix + "input_mean.npy", new FeatureMatrix(_mean, 1, InputDim));
        writer.AddMatrix(prefix + "input_std.npy", new FeatureMatrix(Std.ToArray(), 1, InputDim));
        if (_projectionWeight is not null)
        {
            writer.AddMatrix(prefix + "projection_weight.npy", new FeatureMatrix(_projectionWeight, FeatureDim, InputDim));
            writer.AddMatrix(prefix + "projection_bias.npy", new FeatureMatrix(_projectionBias!, 1, FeatureDim));
        }
        writer.AddMatrix(prefix + "classifier_weight.npy", new FeatureMatrix(_classifierWeight, ClassCount, FeatureDim));
        writer.AddMatrix(prefix + "classifier_bias.npy", new FeatureMatrix(_classifierBias, 1, ClassCount));
        return new JsonObject
        {
            ["inputDim"] = InputDim,
            ["featureDim"] = FeatureDim,
            ["classCount"] = ClassCount,
            ["projection"] = HasProjection,
            ["formula"] = HasProjection ? "f = W_p (x - mu) / sigma + b_p; z = W f + b" : "f = (x - mu) / sigma; z = W f + b",
        };
    }

    /// <summary>Reads a head written by <see cref="WriteTo"/>.</summary>
    /// <exception cref="LunaInputException">An entry is missing or the shapes do not fit.</exception>
    public static LinearHead ReadFrom(ModelBundle bundle, string prefix, bool projection)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        try
        {
            return new LinearHead(
                bundle.Matrix(prefix + "input_mean.npy").Array,
                bundle.Matrix(prefix + "input_std.npy").Array,
                projection ? bundle.Matrix(prefix + "projection_weight.npy").Array : null,
                projection ? bundle.Matrix(prefix + "projection_bias.npy").Array : null,
                bundle.Matrix(prefix + "classifier_weight.npy").Array,
                bundle.Matrix(prefix + "classifier_bias.npy").Array);
        }
        catch (LunaInputException e) when (!e.Message.StartsWith(bundle.Path, StringComparison.Ordinal))
        {
            throw LunaInputException.InFile(bundle.Path, e.Message);
        }
    }
}
