using Luna.Core.Data;

namespace Luna.Cli.Bench;

/// <summary>
/// Seeded deep-feature-like data for <c>luna bench</c>: Gaussian class clusters of low intrinsic dimension passed through
/// a ReLU and L2-normalised, the shape of penultimate-layer CNN features. Class c has a centre μ_c ~ N(0, s²·I_d); a
/// sample of class c is x = ReLU(μ_c + W·u + σ·ε), then x / ‖x‖₂, where W (d × r, shared by all classes, entries
/// N(0, 1/r)) spans the directions the features vary in, u ~ N(0, I_r) with r = <see cref="LatentRank"/>, and ε ~ N(0, I_d)
/// is a small isotropic noise (σ = <see cref="Noise"/>). Known classes are 0..K-1; novel classes (never in the training
/// set) have their own centres, K..K+N-1. s = <see cref="CentreScale"/>(d) puts the classes close enough to overlap, so
/// that detecting the novel ones is not trivial.
/// </summary>
/// <remarks>
/// Every number comes from SplitMix64 streams derived from the seed (one per block of 1024 rows, so generation runs on
/// all cores and gives the same matrix whatever the thread count); Gaussians by Box–Muller.
/// </remarks>
internal sealed class DeepFeatures
{
    private const int Block = 1024;

    /// <summary>Rank r of the shared within-class variation W·u: 16.</summary>
    public const int LatentRank = 16;

    /// <summary>Standard deviation σ of the isotropic noise: 0.2.</summary>
    public const double Noise = 0.2;

    private readonly float[] _centres;
    private readonly float[] _basis;

    /// <summary>Draws the class centres.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="dimension">Feature dimension d.</param>
    /// <param name="classes">Known plus novel classes.</param>
    public DeepFeatures(int seed, int dimension, int classes)
    {
        Seed = seed;
        Dimension = dimension;
        Classes = classes;
        _centres = new float[checked(classes * dimension)];
        double scale = CentreScale(dimension);
        var random = new SplitMix(Mix(seed, 0x5EED, 0));
        for (int i = 0; i < _centres.Length; i++)
        {
            _centres[i] = (float)(scale * random.NextGaussian());
        }
        _basis = new float[dimension * LatentRank];
        double basisScale = 1 / Math.Sqrt(LatentRank);
        for (int i = 0; i < _basis.Length; i++)
        {
            _basis[i] = (float)(basisScale * random.NextGaussian());
        }
    }

    /// <summary>
    /// Spread s of the class centres for dimension d: 0.8·(512/d)^(1/4) (the class offsets grow like s²·d against
    /// fluctuations like √d, so this keeps the overlap about the same across d); chosen so that novel classes are neither
    /// trivially separable nor hidden (in trials LUNA's AUROC was about 0.9–0.99, LOF's a few points lower).
    /// </summary>
    public static double CentreScale(int dimension) => 0.8 * Math.Pow(512.0 / Math.Max(1, dimension), 0.25);

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>Feature dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Number of class centres.</summary>
    public int Classes { get; }

    /// <summary>One sample per entry of <paramref name="classes"/>, rows in that order; <paramref name="stream"/> separates independent draws (training, queries).</summary>
    public FeatureMatrix Sample(int[] classes, int stream)
    {
        int n = classes.Length;
        int d = Dimension;
        var x = new FeatureMatrix(n, d);
        float[] data = x.Array;
        int blocks = (n + Block - 1) / Block;
        Parallel.For(0, blocks, b =>
        {
            var random = new SplitMix(Mix(Seed, stream, b));
            int r = LatentRank;
            Span<double> u = stackalloc double[r];
            for (int i = b * Block; i < Math.Min(n, (b + 1) * Block); i++)
            {
                Span<float> row = data.AsSpan(i * d, d);
                ReadOnlySpan<float> centre = _centres.AsSpan(classes[i] * d, d);
                for (int t = 0; t < r; t++)
                {
                    u[t] = random.NextGaussian();
                }
                double norm = 0;
                for (int p = 0; p < d; p++)
                {
                    ReadOnlySpan<float> w = _basis.AsSpan(p * r, r);
                    double latent = 0;
                    for (int t = 0; t < r; t++)
                    {
                        latent += w[t] * u[t];
                    }
                    double v = Math.Max(0, centre[p] + latent + (Noise * random.NextGaussian()));
                    row[p] = (float)v;
                    norm += v * v;
                }
                float scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0f;
                for (int p = 0; p < d; p++)
                {
                    row[p] *= scale;
                }
            }
        });
        return x;
    }

    /// <summary>n labels drawn from a Zipf law over <paramref name="classes"/> classes, P(c) ∝ (c + 1)^(−s).</summary>
    public static int[] ZipfLabels(int seed, int n, int classes, double exponent = 1.0)
    {
        var cumulative = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++)
        {
            sum += Math.Pow(c + 1, -exponent);
            cumulative[c] = sum;
        }
        var labels = new int[n];
        var random = new SplitMix(Mix(seed, 0x21BF, 0));
        for (int i = 0; i < n; i++)
        {
            int c = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            labels[i] = Math.Min(classes - 1, c < 0 ? ~c : c);
        }
        return labels;
    }

    /// <summary>
    /// ImageNet-LT-shaped class sizes: n_i = round(head·(1 + a·i)^(−p)) for i = 0..classes−1, a Lomax (Pareto type II)
    /// profile from <paramref name="head"/> down to <paramref name="tail"/>, with a chosen by bisection so that the sizes
    /// add up to <paramref name="total"/> within the rounding of the counts (ImageNet-LT: 1000 classes, 1280 down to 5, 115,846 images; the counts found add up to 115,847).
    /// </summary>
    public static int[] LongTailCounts(int classes, int head, int tail, int total)
    {
        if (classes == 1)
        {
            return [total];
        }
        double Sum(double a, out int[] counts)
        {
            double p = Math.Log((double)head / tail) / Math.Log(1 + (a * (classes - 1)));
            counts = new int[classes];
            double s = 0;
            for (int i = 0; i < classes; i++)
            {
                counts[i] = Math.Max(tail, (int)Math.Round(head * Math.Pow(1 + (a * i), -p)));
                s += counts[i];
            }
            return s;
        }
        // Larger a concentrates the decay at the head (smaller total); bisection on log a.
        double lo = Math.Log(1e-6), hi = Math.Log(1e6);
        int[] best = [];
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double mid = (lo + hi) / 2;
            double s = Sum(Math.Exp(mid), out best);
            if (s > total)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return best;
    }

    /// <summary>Labels for the given class sizes, shuffled (seeded).</summary>
    public static int[] LabelsFromCounts(int seed, int[] counts)
    {
        int n = 0;
        foreach (int count in counts)
        {
            n += count;
        }
        var labels = new int[n];
        int at = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            labels.AsSpan(at, counts[c]).Fill(c);
            at += counts[c];
        }
        var random = new SplitMix(Mix(seed, 0x5AFF, 0));
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(random.NextULong() % (ulong)(i + 1));
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        return labels;
    }

    private static ulong Mix(int seed, int stream, int block)
        => SplitMix.Scramble(((ulong)(uint)seed << 32) ^ ((ulong)(uint)stream << 20) ^ (uint)block);

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast, well-mixed 64-bit generator.</summary>
    private struct SplitMix
    {
        private ulong _state;
        private double _spare;
        private bool _hasSpare;

        public SplitMix(ulong seed)
        {
            _state = seed;
            _spare = 0;
            _hasSpare = false;
        }

        /// <summary>One SplitMix64 step applied to <paramref name="z"/>: a well-mixed seed from structured input.</summary>
        public static ulong Scramble(ulong z)
        {
            z = unchecked(z + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return z ^ (z >> 31);
        }

        public ulong NextULong()
        {
            ulong z = _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1), 53 bits.</summary>
        public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

        public double NextGaussian()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }
            double u = 1.0 - NextDouble();
            double v = NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u));
            _spare = r * Math.Sin(2 * Math.PI * v);
            _hasSpare = true;
            return r * Math.Cos(2 * Math.PI * v);
        }
    }
}
