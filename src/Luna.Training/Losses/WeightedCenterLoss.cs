using Luna.Core;
using Luna.Core.LongTail;
using TorchSharp;
using static TorchSharp.torch;

namespace Luna.Training.Losses;

/// <summary>
/// The (weighted) center loss of docs/method.md on raw features, with one center per class moved by the rule of
/// Wen et al. 2016, not by the optimizer.
/// </summary>
/// <remarks>
/// <code>
/// forward (reduction Mean):  L_wc = 1/(2m) * sum_i lambda_{y_i} * ||f_i - c_{y_i}||^2         (m = batch size)
///         (reduction Sum):   1/2 * sum_i lambda_{y_i} * ||f_i - c_{y_i}||^2
///         (reduction None):  [m] with 1/2 * lambda_{y_i} * ||f_i - c_{y_i}||^2
/// update (UpdateCenters):    delta_c_j = sum_{i: y_i = j} (c_j - f_i) / (1 + n_j),  n_j = |{i : y_i = j}| in the batch
///                            c_j      &lt;- c_j - alpha * delta_c_j
/// </code>
/// The centers are a buffer (saved with the module, never given a gradient), so the loss's gradient flows to the
/// features only: d L_wc / d f_i = lambda_{y_i} (f_i - c_{y_i}) / m. With every lambda_j = 1 this is the center loss
/// of Wen et al.; with lambda_j from <see cref="ClassWeights.Compute"/> it is wcenter. Centers start at zero.
/// </remarks>
public sealed class WeightedCenterLoss : Loss<Tensor, Tensor, Tensor>
{
    private readonly Tensor _centers;
    private readonly Tensor _lambda;

    /// <summary>Creates the loss with the given class weights and zero centers.</summary>
    /// <param name="lambda">lambda_j ≥ 0 per class, length K.</param>
    /// <param name="featureDim">Feature dimension D.</param>
    /// <param name="reduction">Mean (the training loss), Sum or None.</param>
    /// <exception cref="LunaInputException">A weight is negative or not finite, or a size is out of range.</exception>
    public WeightedCenterLoss(IReadOnlyList<double> lambda, int featureDim, nn.Reduction reduction = nn.Reduction.Mean)
        : base(reduction)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        if (lambda.Count < 1)
        {
            throw new LunaInputException("center loss: no class weights given");
        }
        if (featureDim < 1)
        {
            throw new LunaInputException($"--feature-dim: value {featureDim} must be at least 1");
        }
        var weights = new float[lambda.Count];
        for (int j = 0; j < weights.Length; j++)
        {
            if (!(lambda[j] >= 0) || double.IsInfinity(lambda[j]))
            {
                throw new LunaInputException($"center loss: class {j} has weight {lambda[j]}; weights must be finite and ≥ 0");
            }
            weights[j] = (float)lambda[j];
        }
        ClassCount = weights.Length;
        FeatureDim = featureDim;
        _lambda = tensor(weights);
        _centers = zeros(ClassCount, featureDim);
        register_buffer("lambda", _lambda);
        register_buffer("centers", _centers);
    }

    /// <summary>Center loss of Wen et al. 2016: every lambda_j = 1.</summary>
    public static WeightedCenterLoss Center(int classCount, int featureDim, nn.Reduction reduction = nn.Reduction.Mean)
    {
        var ones = new double[classCount];
        Array.Fill(ones, 1.0);
        return new WeightedCenterLoss(ones, featureDim, reduction);
    }

    /// <summary>wcenter: lambda_j = <see cref="ClassWeights.Compute"/>(counts, lambdaMax, map).</summary>
    /// <param name="counts">Training images per class n_j, length K.</param>
    /// <param name="featureDim">Feature dimension D.</param>
    /// <param name="lambdaMax">Weight of the rarest class.</param>
    /// <param name="map">Map applied to n_max / n_j.</param>
    /// <param name="reduction">Mean (the training loss), Sum or None.</param>
    public static WeightedCenterLoss Weighted(IReadOnlyList<int> counts, int featureDim, double lambdaMax = ClassWeights.DefaultLambdaMax, LambdaMap map = LambdaMap.Linear, nn.Reduction reduction = nn.Reduction.Mean)
        => new(ClassWeights.Compute(counts, lambdaMax, map), featureDim, reduction);

    /// <summary>Number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>Feature dimension D.</summary>
    public int FeatureDim { get; }

    /// <summary>The centers [K, D] (the module's buffer itself; do not dispose).</summary>
    public Tensor Centers => _centers;

    /// <summary>The class weights lambda [K] (the module's buffer itself; do not dispose).</summary>
    public Tensor Lambda => _lambda;

    /// <summary>The loss of features [m, D] with labels [m] (int64, 0..K-1), reduced as configured.</summary>
    public override Tensor forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        using var scope = NewDisposeScope();
        Tensor centers = _centers.index_select(0, target);
        Tensor weights = _lambda.index_select(0, target);
        Tensor perSample = input.sub(centers).square().sum(1).mul(weights).mul(0.5);
        Tensor result = reduction switch
        {
            nn.Reduction.Mean => perSample.mean(),
            nn.Reduction.Sum => perSample.sum(),
            _ => perSample,
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One Wen et al. update of the centers from a batch of features [m, D] (detached from the graph here) and labels [m]:
    /// c_j &lt;- c_j - alpha * sum_{i: y_i = j}(c_j - f_i) / (1 + n_j). Classes absent from the batch do not move.
    /// </summary>
    /// <param name="features">Batch features [m, D].</param>
    /// <param name="target">Batch labels [m], int64.</param>
    /// <param name="alpha">Center learning rate alpha in [0, 1].</param>
    public void UpdateCenters(Tensor features, Tensor target, double alpha)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(target);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor oneHot = nn.functional.one_hot(target, ClassCount).to(features.dtype);   // [m, K]
        Tensor sums = oneHot.t().matmul(features.detach());                             // [K, D] sum of f_i per class
        Tensor counts = oneHot.sum(0L).unsqueeze(1);                                     // [K, 1] n_j
        // sum_{i: y_i = j}(c_j - f_i) = n_j c_j - sums_j
        Tensor delta = counts.mul(_centers).sub(sums).div(counts.add(1.0));
        _centers.sub_(delta.mul(alpha));
    }

    /// <summary>Replaces the centers with <paramref name="values"/> (K × D, row-major), e.g. when loading a checkpoint.</summary>
    public void SetCenters(ReadOnlySpan<float> values)
    {
        if (values.Length != ClassCount * FeatureDim)
        {
            throw new ArgumentException($"expected {ClassCount * FeatureDim} center values, got {values.Length}", nameof(values));
        }
        using var noGrad = no_grad();
        using Tensor source = tensor(values.ToArray(), new long[] { ClassCount, FeatureDim }).to(_centers.device);
        _centers.copy_(source);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _centers.Dispose();
            _lambda.Dispose();
        }
        base.Dispose(disposing);
    }
}
