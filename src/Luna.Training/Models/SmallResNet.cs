using Luna.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luna.Training.Models;

/// <summary>
/// A small residual network for small images (Fashion-MNIST's 1×28×28 by default) that returns both the feature
/// vector and the class logits.
/// </summary>
/// <remarks>
/// <code>
/// stem     conv 3×3, 32 channels, stride 1 + BN + ReLU                   [n, 32, 28, 28]
/// stage 1  basic block 32 → 32,  stride 2                                 [n, 32, 14, 14]
/// stage 2  basic block 32 → 64,  stride 2                                 [n, 64,  7,  7]
/// stage 3  basic block 64 → 128, stride 2                                 [n, 128, 4,  4]
/// pool     global average                                                 [n, 128]
/// features f = W_f · pool + b_f   (raw, no activation)                    [n, D]
/// logits     = W · f + b                                                  [n, K]
/// </code>
/// A basic block is conv 3×3 (stride s) + BN + ReLU + conv 3×3 + BN, added to the input (through a 1×1 conv + BN when
/// the shape changes), then ReLU (He et al. 2016). Convolutions have no bias; weights use LibTorch's default
/// initialisation, so <c>torch.manual_seed</c> fixes them.
/// </remarks>
public sealed class SmallResNet : nn.Module<Tensor, (Tensor Features, Tensor Logits)>
{
    /// <summary>Channels of the stem and of the three stages.</summary>
    public static readonly IReadOnlyList<int> Widths = new[] { 32, 32, 64, 128 };

    private readonly Sequential _body;
    private readonly Linear _embedding;
    private readonly Linear _classifier;

    /// <summary>Creates the network with freshly initialised weights (seed them with <c>torch.manual_seed</c> first).</summary>
    /// <param name="inputChannels">Channels of the input images (1 for grey).</param>
    /// <param name="featureDim">Feature dimension D ≥ 1.</param>
    /// <param name="classCount">Number of known classes K ≥ 2.</param>
    /// <exception cref="LunaInputException">A size is out of range.</exception>
    public SmallResNet(int inputChannels, int featureDim, int classCount)
        : base(nameof(SmallResNet))
    {
        if (inputChannels < 1)
        {
            throw new LunaInputException($"model: input channels {inputChannels} must be at least 1");
        }
        if (featureDim < 1)
        {
            throw new LunaInputException($"--feature-dim: value {featureDim} must be at least 1");
        }
        if (classCount < 2)
        {
            throw new LunaInputException($"model: class count {classCount} must be at least 2");
        }
        InputChannels = inputChannels;
        FeatureDim = featureDim;
        ClassCount = classCount;
        _body = nn.Sequential(
            ("stem_conv", nn.Conv2d(inputChannels, Widths[0], 3, stride: 1, padding: 1, bias: false)),
            ("stem_bn", nn.BatchNorm2d(Widths[0])),
            ("stem_relu", nn.ReLU()),
            ("stage1", new BasicBlock(Widths[0], Widths[1], 2)),
            ("stage2", new BasicBlock(Widths[1], Widths[2], 2)),
            ("stage3", new BasicBlock(Widths[2], Widths[3], 2)),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()));
        _embedding = nn.Linear(Widths[3], featureDim);
        _classifier = nn.Linear(featureDim, classCount);
        register_module("body", _body);
        register_module("embedding", _embedding);
        register_module("classifier", _classifier);
    }

    /// <summary>Channels of the input images.</summary>
    public int InputChannels { get; }

    /// <summary>Feature dimension D.</summary>
    public int FeatureDim { get; }

    /// <summary>Number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>Features [n, D] and logits [n, K] of a batch of normalised images [n, C, H, W].</summary>
    public override (Tensor Features, Tensor Logits) forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor pooled = _body.forward(input);
        Tensor features = _embedding.forward(pooled);
        Tensor logits = _classifier.forward(features);
        return (features, logits);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _embedding.Dispose();
            _classifier.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv1;
        private readonly BatchNorm2d _bn1;
        private readonly Conv2d _conv2;
        private readonly BatchNorm2d _bn2;
        private readonly Sequential? _shortcut;

        public BasicBlock(int inChannels, int outChannels, int stride)
            : base(nameof(BasicBlock))
        {
            _conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
            _bn1 = nn.BatchNorm2d(outChannels);
            _conv2 = nn.Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
            _bn2 = nn.BatchNorm2d(outChannels);
            register_module("conv1", _conv1);
            register_module("bn1", _bn1);
            register_module("conv2", _conv2);
            register_module("bn2", _bn2);
            if (stride != 1 || inChannels != outChannels)
            {
                _shortcut = nn.Sequential(
                    ("conv", nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)),
                    ("bn", nn.BatchNorm2d(outChannels)));
                register_module("shortcut", _shortcut);
            }
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            Tensor x = nn.functional.relu(_bn1.forward(_conv1.forward(input)));
            x = _bn2.forward(_conv2.forward(x));
            Tensor skip = _shortcut is null ? input : _shortcut.forward(input);
            return nn.functional.relu(x.add_(skip)).MoveToOuterDisposeScope();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _conv1.Dispose();
                _bn1.Dispose();
                _conv2.Dispose();
                _bn2.Dispose();
                _shortcut?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
