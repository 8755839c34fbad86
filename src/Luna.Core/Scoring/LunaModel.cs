using System.Globalization;
using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Core.Scoring;

/// <summary>
/// A fitted LUNA factor (SPEC.md section 3). Read-only after <see cref="LunaScorer.FitModel"/>; thread-safe.
/// </summary>
/// <remarks>
/// <para>Reference set: the training features X (L2-normalised when <see cref="NoveltyScorerOptions.Normalize"/>), with
/// labels y. For each class c with n_c ≥ 2 samples, k_c = min(k, n_c - 1) and, inside X_c only:</para>
/// <code>
/// kdist_c(o)    = distance from o to its k_c-th nearest neighbour in X_c \ {o}
/// reach_c(p, o) = max(kdist_c(o), d(p, o))
/// lrd_c(p)      = 1 / (mean_{o in N_c(p)} reach_c(p, o) + 1e-10)
/// LUNA_c(p)     = mean_{o in N_c(p)} lrd_c(o) / lrd_c(p)
/// LUNA(p)       = min over candidate classes c of LUNA_c(p);   acquaintance(p) = the argmin (ties: lower class)
/// </code>
/// <para>Candidates (<see cref="CandidateRule"/>): <c>neighbours</c> = the classes among p's k' nearest features in the whole
/// of X (k' = min(k, n - 1), <see cref="GlobalK"/>) plus the top-1 class of p's logits when given; <c>top1</c> = the top-1
/// class only; <c>all</c> = LOF over the whole of X with k', classes ignored (acquaintance: the class of the nearest feature).</para>
/// <para>Classes with fewer than 2 training samples have no density and are never candidates
/// (<see cref="ExcludedClasses"/>). A query whose candidate set is empty after leaving them out (all its neighbours, and
/// its top-1 class, belong to such classes) is judged against its nearest eligible class: the eligible class whose
/// nearest member is closest to p (ties: lower class); <see cref="LunaRuleScores.FellBack"/> marks it.</para>
/// <para>Fitting costs sum_c n_c² distance evaluations (the per-class self-joins); the <c>all</c> rule adds one self-join over
/// X (n²), computed on first use. Scoring m queries costs m·n for the candidate search plus m·n_c per candidate class.</para>
/// </remarks>
public sealed class LunaModel : IFittedNoveltyScorer
{
    private readonly TrainingShape _shape;
    private readonly int[] _labels;
    private readonly ExactNeighborIndex _globalIndex;
    private readonly LocalDensity?[] _classDensity;
    private readonly int[] _classCounts;
    private readonly int[] _effectiveK;
    private readonly int[] _excluded;
    private readonly string[] _warnings;
    private readonly object _gate = new();
    private LocalDensity? _globalDensity;

    private LunaModel(
        NoveltyScorerOptions options,
        TrainingShape shape,
        int[] labels,
        ExactNeighborIndex globalIndex,
        int globalK,
        LocalDensity?[] classDensity,
        int[] classCounts,
        int[] effectiveK,
        int[] excluded,
        string[] warnings)
    {
        Options = options;
        _shape = shape;
        _labels = labels;
        _globalIndex = globalIndex;
        GlobalK = globalK;
        _classDensity = classDensity;
        _classCounts = classCounts;
        _effectiveK = effectiveK;
        _excluded = excluded;
        _warnings = warnings;
    }

    /// <inheritdoc />
    public string Name => LunaScorer.RegistryName;

    /// <summary>The settings the model was fitted with.</summary>
    public NoveltyScorerOptions Options { get; }

    /// <summary>Number of known classes K (logit columns when training logits were given, else max label + 1).</summary>
    public int ClassCount => _classCounts.Length;

    /// <summary>Feature dimension d.</summary>
    public int Dimension => _shape.Dimension;

    /// <summary>Training samples per class n_c, length K.</summary>
    public IReadOnlyList<int> ClassCounts => _classCounts;

    /// <summary>The per-class neighbourhood size k_c = min(k, n_c - 1), length K; 0 for a class left out.</summary>
    public IReadOnlyList<int> EffectiveK => _effectiveK;

    /// <summary>Classes with fewer than 2 training samples (singletons, and classes with none), ascending: never candidates.</summary>
    public IReadOnlyList<int> ExcludedClasses => _excluded;

    /// <summary>k' = min(k, n - 1): the neighbourhood over all training features (candidate search and the <c>all</c> rule).</summary>
    public int GlobalK { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _warnings;

    internal static LunaModel Fit(ScoringTrainingSet training, NoveltyScorerOptions options, CancellationToken cancellationToken)
    {
        ScoringValidation.Options(options);
        TrainingShape shape = ScoringValidation.Training(training, LunaScorer.RegistryName, needsLogits: false, minRows: 2);
        int[] labels = training.Labels.ToArray();
        int classes = shape.Classes;
        int[] counts = ScoringValidation.ClassCounts(labels, classes);
        var warnings = new List<string>();
        var singletons = new List<int>();
        var excluded = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            if (counts[c] < 2)
            {
                excluded.Add(c);
                if (counts[c] == 1)
                {
                    singletons.Add(c);
                }
            }
        }
        if (singletons.Count > 0 && !options.AllowSingletonClasses)
        {
            string which = singletons.Count == 1 ? $"class {singletons[0]} has" : $"classes {Join(singletons)} have";
            throw LunaInputException.InFile(training.LabelsSource, $"{which} 1 training sample; LUNA needs at least 2 per class for a local density (allow singleton classes, --allow-singleton-classes, to leave them out of the candidates)");
        }
        if (excluded.Count == classes)
        {
            throw LunaInputException.InFile(training.LabelsSource, "no class has 2 or more training samples; LUNA needs at least one such class");
        }
        if (singletons.Count > 0)
        {
            warnings.Add($"{(singletons.Count == 1 ? "class" : "classes")} {Join(singletons)} with a single training sample {(singletons.Count == 1 ? "is" : "are")} left out of the candidates (no local density)");
        }
        var empty = excluded.FindAll(c => counts[c] == 0);
        if (empty.Count > 0)
        {
            warnings.Add($"{(empty.Count == 1 ? "class" : "classes")} {Join(empty)} {(empty.Count == 1 ? "has" : "have")} no training samples and cannot be an acquaintance");
        }
        FeatureMatrix x = options.Normalize ? training.Features.L2Normalized() : training.Features;
        int n = x.Rows;
        int globalK = Math.Min(options.K, n - 1);
        if (globalK < options.K)
        {
            warnings.Add($"k = {options.K} is larger than the {n} training samples minus one; the neighbourhood over all classes uses k = {globalK}");
        }
        var members = new List<int>[classes];
        for (int c = 0; c < classes; c++)
        {
            members[c] = new List<int>(counts[c]);
        }
        for (int i = 0; i < n; i++)
        {
            members[labels[i]].Add(i);
        }
        var densities = new LocalDensity?[classes];
        var effectiveK = new int[classes];
        for (int c = 0; c < classes; c++)
        {
            if (counts[c] < 2)
            {
                continue;
            }
            effectiveK[c] = Math.Min(options.K, counts[c] - 1);
            FeatureMatrix xc = x.SelectRows(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(members[c]));
            densities[c] = LocalDensity.Fit(xc, effectiveK[c], cancellationToken);
        }
        var model = new LunaModel(options, shape, labels, new ExactNeighborIndex(x), globalK, densities, counts, effectiveK, excluded.ToArray(), warnings.ToArray());
        if (options.Candidates == CandidateRule.All)
        {
            model.GlobalDensity(cancellationToken);
        }
        return model;
    }

    /// <summary>Scores the queries under <see cref="NoveltyScorerOptions.Candidates"/>: factor and acquaintance.</summary>
    /// <exception cref="LunaInputException">Bad queries, or the <c>top1</c> rule without query logits.</exception>
    public NoveltyScores Score(ScoringQuery query, CancellationToken cancellationToken = default)
        => ScoreRule(query, Options.Candidates, cancellationToken).ToNoveltyScores();

    /// <summary>The LUNA factor of the queries under one candidate rule.</summary>
    /// <exception cref="LunaInputException">Bad queries, or <see cref="CandidateRule.Top1"/> without query logits.</exception>
    public LunaRuleScores ScoreRule(ScoringQuery query, CandidateRule rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (rule == CandidateRule.Top1 && query.Logits is null)
        {
            ScoringValidation.Query(query, _shape, Name, needsLogits: false);
            throw new LunaInputException("candidate rule 'top1' (--candidates top1) needs the classifier's logits, but no query logits were given (--query-logits)");
        }
        Results results = Evaluate(query, rule == CandidateRule.Neighbours, rule == CandidateRule.Top1, rule == CandidateRule.All, cancellationToken);
        return results.Rule(rule, GlobalK);
    }

    /// <summary>
    /// The LUNA factor of the queries under all three rules in one pass (one candidate search, one per-class search per
    /// needed class); <see cref="LunaAllRules.Top1"/> is null when the queries have no logits. The first call fits the
    /// densities over all training features (n² distance evaluations) for the <c>all</c> rule.
    /// </summary>
    public LunaAllRules ScoreAllRules(ScoringQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        bool top1 = query.Logits is not null;
        Results results = Evaluate(query, neighbours: true, top1, all: true, cancellationToken);
        return new LunaAllRules(
            results.Rule(CandidateRule.Neighbours, GlobalK),
            top1 ? results.Rule(CandidateRule.Top1, GlobalK) : null,
            results.Rule(CandidateRule.All, GlobalK));
    }

    private LocalDensity GlobalDensity(CancellationToken cancellationToken)
    {
        LocalDensity? density = Volatile.Read(ref _globalDensity);
        if (density is not null)
        {
            return density;
        }
        lock (_gate)
        {
            _globalDensity ??= LocalDensity.Fit(_globalIndex, GlobalK, cancellationToken);
            return _globalDensity;
        }
    }

    private Results Evaluate(ScoringQuery query, bool neighbours, bool top1, bool all, CancellationToken cancellationToken)
    {
        ScoringValidation.Query(query, _shape, Name, needsLogits: top1);
        FeatureMatrix q = Options.Normalize ? query.Features.L2Normalized() : query.Features;
        FeatureMatrix? logits = query.Logits;
        int m = q.Rows;
        int classes = ClassCount;
        LocalDensity? globalDensity = all ? GlobalDensity(cancellationToken) : null;
        var result = new Results(m, neighbours, top1, all);
        int chunk = Math.Clamp(4_000_000 / classes, 64, 8192);
        for (int start = 0; start < m; start += chunk)
        {
            int rows = Math.Min(chunk, m - start);
            FeatureMatrix part = rows == m ? q : q.SelectRows(Range(start, rows));
            NeighborResult? near = neighbours || all ? _globalIndex.Search(part, GlobalK, cancellationToken) : null;
            var needed = new byte[rows * classes];
            for (int p = 0; p < rows; p++)
            {
                int top = logits is null ? -1 : LogitMath.Argmax(logits.Row(start + p));
                Span<byte> mark = needed.AsSpan(p * classes, classes);
                if (neighbours)
                {
                    bool any = false;
                    foreach (int index in near!.IndicesOf(p))
                    {
                        int c = _labels[index];
                        if (_classDensity[c] is not null)
                        {
                            mark[c] |= NeighbourCandidate;
                            any = true;
                        }
                    }
                    if (top >= 0 && _classDensity[top] is not null)
                    {
                        mark[top] |= NeighbourCandidate;
                        any = true;
                    }
                    if (!any)
                    {
                        result.NeighboursFellBack[start + p] = true;
                        MarkEligible(mark);
                    }
                }
                if (top1)
                {
                    if (_classDensity[top] is not null)
                    {
                        mark[top] |= Top1Candidate;
                    }
                    else
                    {
                        result.Top1FellBack[start + p] = true;
                        MarkEligible(mark);
                    }
                }
            }
            var factor = new double[rows * classes];
            var nearest = new double[rows * classes];
            var selected = new List<int>(rows);
            for (int c = 0; c < classes; c++)
            {
                LocalDensity? density = _classDensity[c];
                if (density is null)
                {
                    continue;
                }
                selected.Clear();
                for (int p = 0; p < rows; p++)
                {
                    if (needed[(p * classes) + c] != 0)
                    {
                        selected.Add(p);
                    }
                }
                if (selected.Count == 0)
                {
                    continue;
                }
                ReadOnlySpan<int> selectedRows = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(selected);
                NeighborResult within = density.Search(part.SelectRows(selectedRows), cancellationToken);
                for (int i = 0; i < selectedRows.Length; i++)
                {
                    int slot = (selectedRows[i] * classes) + c;
                    factor[slot] = density.Factor(within.IndicesOf(i), within.DistancesOf(i));
                    nearest[slot] = within.DistancesOf(i)[0];
                }
            }
            for (int p = 0; p < rows; p++)
            {
                int row = start + p;
                ReadOnlySpan<byte> mark = needed.AsSpan(p * classes, classes);
                ReadOnlySpan<double> f = factor.AsSpan(p * classes, classes);
                ReadOnlySpan<double> nd = nearest.AsSpan(p * classes, classes);
                if (neighbours)
                {
                    int c = result.NeighboursFellBack[row] ? NearestEligible(mark, nd) : ArgminCandidate(mark, f, NeighbourCandidate);
                    result.NeighboursFactors[row] = f[c];
                    result.NeighboursAcquaintance[row] = c;
                }
                if (top1)
                {
                    int c = result.Top1FellBack[row] ? NearestEligible(mark, nd) : LogitMath.Argmax(logits!.Row(row));
                    result.Top1Factors[row] = f[c];
                    result.Top1Acquaintance[row] = c;
                }
                if (all)
                {
                    result.AllFactors[row] = globalDensity!.Factor(near!.IndicesOf(p), near.DistancesOf(p));
                    result.AllAcquaintance[row] = _labels[near.IndicesOf(p)[0]];
                }
            }
        }
        return result;
    }

    private const byte NeighbourCandidate = 1;
    private const byte Top1Candidate = 2;
    private const byte FallbackCandidate = 4;

    private void MarkEligible(Span<byte> mark)
    {
        for (int c = 0; c < mark.Length; c++)
        {
            if (_classDensity[c] is not null)
            {
                mark[c] |= FallbackCandidate;
            }
        }
    }

    private static int ArgminCandidate(ReadOnlySpan<byte> mark, ReadOnlySpan<double> factor, byte bit)
    {
        int best = -1;
        for (int c = 0; c < mark.Length; c++)
        {
            if ((mark[c] & bit) != 0 && (best < 0 || factor[c] < factor[best]))
            {
                best = c;
            }
        }
        return best;
    }

    private static int NearestEligible(ReadOnlySpan<byte> mark, ReadOnlySpan<double> nearest)
        => ArgminCandidate(mark, nearest, FallbackCandidate);

    private static int[] Range(int start, int count)
    {
        var rows = new int[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = start + i;
        }
        return rows;
    }

    private static string Join(IEnumerable<int> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private sealed class Results
    {
        public Results(int m, bool neighbours, bool top1, bool all)
        {
            NeighboursFactors = neighbours ? new double[m] : [];
            NeighboursAcquaintance = neighbours ? new int[m] : [];
            NeighboursFellBack = new bool[m];
            Top1Factors = top1 ? new double[m] : [];
            Top1Acquaintance = top1 ? new int[m] : [];
            Top1FellBack = new bool[m];
            AllFactors = all ? new double[m] : [];
            AllAcquaintance = all ? new int[m] : [];
            Count = m;
        }

        public int Count { get; }

        public double[] NeighboursFactors { get; }

        public int[] NeighboursAcquaintance { get; }

        public bool[] NeighboursFellBack { get; }

        public double[] Top1Factors { get; }

        public int[] Top1Acquaintance { get; }

        public bool[] Top1FellBack { get; }

        public double[] AllFactors { get; }

        public int[] AllAcquaintance { get; }

        public LunaRuleScores Rule(CandidateRule rule, int globalK) => rule switch
        {
            CandidateRule.Neighbours => Rule(rule, NeighboursFactors, NeighboursAcquaintance, NeighboursFellBack, $"had no class with 2 or more training samples among their {globalK} nearest training features or as their top-1 class"),
            CandidateRule.Top1 => Rule(rule, Top1Factors, Top1Acquaintance, Top1FellBack, "had a top-1 class with fewer than 2 training samples"),
            _ => new LunaRuleScores(CandidateRule.All, AllFactors, AllAcquaintance, new bool[Count]),
        };

        private LunaRuleScores Rule(CandidateRule rule, double[] factors, int[] acquaintance, bool[] fellBack, string why)
        {
            int count = 0;
            foreach (bool f in fellBack)
            {
                count += f ? 1 : 0;
            }
            string[] warnings = count == 0
                ? []
                : [$"candidates {RuleName(rule)}: {count} of {Count} queries {why}; each was judged against its nearest eligible class"];
            return new LunaRuleScores(rule, factors, acquaintance, fellBack) { Warnings = warnings };
        }
    }

    internal static string RuleName(CandidateRule rule) => rule switch
    {
        CandidateRule.Neighbours => "neighbours",
        CandidateRule.Top1 => "top1",
        CandidateRule.All => "all",
        _ => rule.ToString(),
    };
}
