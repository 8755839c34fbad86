using System.Globalization;
using Luna.Core.Data;
using Luna.Core.Neighbors;

namespace Luna.Core.Scoring;

/// <summary>
/// A fitted LUNA factor (docs/method.md). Read-only after <see cref="LunaScorer.FitModel"/>; thread-safe.
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
/// <para>Cost, with the exact index (<see cref="NoveltyScorerOptions.NeighborIndex"/>): fitting runs the per-class
/// self-joins, sum_c n_c²/2 distance products (k-distances and densities of the references computed once, here); the
/// <c>all</c> rule adds one self-join over X (n²/2), computed only when that rule is used. Scoring m queries costs m·n
/// products for the candidate search (skipped under <c>top1</c>), then each class is visited once for the queries that
/// have it as a candidate: sum_c m_c·n_c. Memory beyond X and the queries: the per-class densities (2 doubles per
/// reference) and, while scoring, one class's rows at a time.</para>
/// </remarks>
public sealed class LunaModel : IFittedNoveltyScorer
{
    private readonly TrainingShape _shape;
    private readonly int[] _labels;
    private readonly FeatureMatrix _features;
    private readonly INeighborIndex _globalIndex;
    private readonly int[][] _members;
    private readonly LocalDensity?[] _classDensity;
    private readonly INeighborIndex?[] _classIndex;
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
        FeatureMatrix features,
        INeighborIndex globalIndex,
        int globalK,
        int[][] members,
        LocalDensity?[] classDensity,
        INeighborIndex?[] classIndex,
        int[] classCounts,
        int[] effectiveK,
        int[] excluded,
        string[] warnings)
    {
        Options = options;
        _shape = shape;
        _labels = labels;
        _features = features;
        _globalIndex = globalIndex;
        GlobalK = globalK;
        _members = members;
        _classDensity = classDensity;
        _classIndex = classIndex;
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

    /// <summary>
    /// The neighbour index over all training features (as used by the model: normalised when
    /// <see cref="NoveltyScorerOptions.Normalize"/>), which the candidate search and the <c>all</c> rule query, for example
    /// to measure an approximate index's recall against exact search.
    /// </summary>
    public INeighborIndex NeighborIndex => _globalIndex;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _warnings;

    internal static LunaModel Fit(ScoringTrainingSet training, NoveltyScorerOptions options, CancellationToken cancellationToken)
    {
        ScoringValidation.Options(options);
        TrainingShape shape = ScoringValidation.Training(training, LunaScorer.RegistryName, needsLogits: false, minRows: 2);
        int[] labels = training.Labels.ToArray();
        int classes = shape.Classes;
        int[] counts = ScoringValidation.ClassCounts(labels, classes);
        IReadOnlyList<string>? names = training.ClassNames;
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
            string which = singletons.Count == 1 ? $"class {ScoringValidation.ClassName(singletons[0], names)} has" : $"classes {ScoringValidation.ClassList(singletons, names)} have";
            throw LunaInputException.InFile(training.LabelsSource, $"{which} 1 training sample; LUNA needs at least 2 per class for a local density (allow singleton classes, --allow-singleton-classes, to leave them out of the candidates)");
        }
        if (excluded.Count == classes)
        {
            throw LunaInputException.InFile(training.LabelsSource, "no class has 2 or more training samples; LUNA needs at least one such class");
        }
        if (singletons.Count > 0)
        {
            warnings.Add($"{(singletons.Count == 1 ? "class" : "classes")} {ScoringValidation.ClassList(singletons, names)} with a single training sample {(singletons.Count == 1 ? "is" : "are")} left out of the candidates (no local density)");
        }
        var empty = excluded.FindAll(c => counts[c] == 0);
        if (empty.Count > 0)
        {
            warnings.Add($"{(empty.Count == 1 ? "class" : "classes")} {ScoringValidation.ClassList(empty, names)} {(empty.Count == 1 ? "has" : "have")} no training samples and cannot be an acquaintance");
        }
        FeatureMatrix x = options.Normalize ? training.Features.L2Normalized() : training.Features;
        int n = x.Rows;
        int globalK = Math.Min(options.K, n - 1);
        if (globalK < options.K)
        {
            warnings.Add($"k = {options.K} is larger than the {n} training samples minus one; the neighbourhood over all classes uses k = {globalK}");
        }
        var members = new int[classes][];
        var filled = new int[classes];
        for (int c = 0; c < classes; c++)
        {
            members[c] = new int[counts[c]];
        }
        for (int i = 0; i < n; i++)
        {
            members[labels[i]][filled[labels[i]]++] = i;
        }
        var densities = new LocalDensity?[classes];
        var classIndex = new INeighborIndex?[classes];
        var effectiveK = new int[classes];
        // Exact per-class indices work on one reused gather buffer (no copy of X_c is allocated per class, nor kept: they
        // are gathered again when scoring); other indices are built from a copy and kept.
        float[]? gather = options.NeighborIndex.IsExact ? new float[MaxCount(counts) * x.Columns] : null;
        for (int c = 0; c < classes; c++)
        {
            if (counts[c] < 2)
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            effectiveK[c] = Math.Min(options.K, counts[c] - 1);
            INeighborIndex index = gather is not null
                ? new ExactNeighborIndex(Gather(x, members[c], gather), counts[c], x.Columns)
                : options.NeighborIndex.Create(x.SelectRows(members[c]), cancellationToken);
            densities[c] = LocalDensity.Fit(index, effectiveK[c], cancellationToken);
            classIndex[c] = index is ExactNeighborIndex ? null : index;
        }
        INeighborIndex globalIndex = options.NeighborIndex.Create(x, cancellationToken);
        var model = new LunaModel(options, shape, labels, x, globalIndex, globalK, members, densities, classIndex, counts, effectiveK, excluded.ToArray(), warnings.ToArray());
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
        var result = new Results(m, neighbours, top1, all);

        // 1. The candidate classes of every query (compressed rows: query p's classes, ascending, at offsets[p]..offsets[p+1]),
        //    from one search over all training features; the `all` rule reads the same search.
        NeighborResult? near = neighbours || all ? _globalIndex.Search(q, GlobalK, cancellationToken) : null;
        LocalDensity? globalDensity = all ? GlobalDensity(cancellationToken) : null;
        var offsets = new int[m + 1];
        var candidateClasses = new List<int>(m * 2);
        var candidateMarks = new List<byte>(m * 2);
        var mark = new byte[classes];
        var touched = new List<int>();
        for (int p = 0; p < m; p++)
        {
            int top = logits is null ? -1 : LogitMath.Argmax(logits.Row(p));
            touched.Clear();
            void Mark(int c, byte bit)
            {
                if (mark[c] == 0)
                {
                    touched.Add(c);
                }
                mark[c] |= bit;
            }
            void MarkEligible()
            {
                for (int c = 0; c < classes; c++)
                {
                    if (_classDensity[c] is not null)
                    {
                        Mark(c, FallbackCandidate);
                    }
                }
            }
            if (neighbours)
            {
                bool any = false;
                foreach (int index in near!.IndicesOf(p))
                {
                    int c = _labels[index];
                    if (_classDensity[c] is not null)
                    {
                        Mark(c, NeighbourCandidate);
                        any = true;
                    }
                }
                if (top >= 0 && _classDensity[top] is not null)
                {
                    Mark(top, NeighbourCandidate);
                    any = true;
                }
                if (!any)
                {
                    result.NeighboursFellBack[p] = true;
                    MarkEligible();
                }
            }
            if (top1)
            {
                if (_classDensity[top] is not null)
                {
                    Mark(top, Top1Candidate);
                }
                else
                {
                    result.Top1FellBack[p] = true;
                    MarkEligible();
                }
            }
            if (all)
            {
                result.AllFactors[p] = globalDensity!.Factor(near!.IndicesOf(p), near.DistancesOf(p));
                result.AllAcquaintance[p] = _labels[near.IndicesOf(p)[0]];
            }
            touched.Sort();
            foreach (int c in touched)
            {
                candidateClasses.Add(c);
                candidateMarks.Add(mark[c]);
                mark[c] = 0;
            }
            offsets[p + 1] = candidateClasses.Count;
        }
        near = null;

        // 2. Per class, once: the class's factor for every query that has it as a candidate (m_c·n_c distance products).
        int slots = candidateClasses.Count;
        var factor = new double[slots];
        var nearest = new double[slots];
        var perClass = new int[classes + 1];
        foreach (int c in candidateClasses)
        {
            perClass[c + 1]++;
        }
        for (int c = 0; c < classes; c++)
        {
            perClass[c + 1] += perClass[c];
        }
        var slotsByClass = new int[slots];
        var queriesByClass = new int[slots];
        var next = (int[])perClass.Clone();
        for (int p = 0; p < m; p++)
        {
            for (int s = offsets[p]; s < offsets[p + 1]; s++)
            {
                int position = next[candidateClasses[s]]++;
                slotsByClass[position] = s;
                queriesByClass[position] = p;
            }
        }
        int d = q.Columns;
        float[]? classRows = null;
        float[]? queryRows = null;
        for (int c = 0; c < classes; c++)
        {
            int count = perClass[c + 1] - perClass[c];
            LocalDensity? density = _classDensity[c];
            if (count == 0 || density is null)
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            INeighborIndex? kept = _classIndex[c];
            ExactNeighborIndex? exact = null;
            if (kept is null)
            {
                classRows ??= new float[MaxCount(_classCounts) * d];
                exact = new ExactNeighborIndex(Gather(_features, _members[c], classRows), _classCounts[c], d);
            }
            for (int start = 0; start < count; start += QueryChunk)
            {
                int rows = Math.Min(QueryChunk, count - start);
                ReadOnlySpan<int> which = queriesByClass.AsSpan(perClass[c] + start, rows);
                NeighborResult within;
                if (exact is not null)
                {
                    queryRows ??= new float[Math.Min(QueryChunk, m) * d];
                    within = exact.Search(Gather(q, which, queryRows), rows, density.K, cancellationToken);
                }
                else
                {
                    within = kept!.Search(q.SelectRows(which), density.K, cancellationToken);
                }
                for (int i = 0; i < rows; i++)
                {
                    int slot = slotsByClass[perClass[c] + start + i];
                    factor[slot] = density.Factor(within.IndicesOf(i), within.DistancesOf(i));
                    nearest[slot] = within.DistancesOf(i)[0];
                }
            }
        }

        // 3. Per query: the argmin over its candidates (ties: the lower class), or the nearest eligible class on fallback.
        for (int p = 0; p < m; p++)
        {
            int start = offsets[p];
            int length = offsets[p + 1] - start;
            ReadOnlySpan<int> cs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidateClasses).Slice(start, length);
            ReadOnlySpan<byte> marks = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidateMarks).Slice(start, length);
            ReadOnlySpan<double> f = factor.AsSpan(start, length);
            ReadOnlySpan<double> nd = nearest.AsSpan(start, length);
            if (neighbours)
            {
                int s = result.NeighboursFellBack[p] ? Argmin(marks, nd, FallbackCandidate) : Argmin(marks, f, NeighbourCandidate);
                result.NeighboursFactors[p] = f[s];
                result.NeighboursAcquaintance[p] = cs[s];
            }
            if (top1)
            {
                int s = result.Top1FellBack[p] ? Argmin(marks, nd, FallbackCandidate) : Argmin(marks, f, Top1Candidate);
                result.Top1Factors[p] = f[s];
                result.Top1Acquaintance[p] = cs[s];
            }
        }
        return result;
    }

    /// <summary>Queries per class searched at once (bounds the query gather buffer).</summary>
    private const int QueryChunk = 4096;

    private const byte NeighbourCandidate = 1;
    private const byte Top1Candidate = 2;
    private const byte FallbackCandidate = 4;

    /// <summary>Copies the listed rows of <paramref name="x"/> into the start of <paramref name="buffer"/>; returns the buffer.</summary>
    private static float[] Gather(FeatureMatrix x, ReadOnlySpan<int> rows, float[] buffer)
    {
        int d = x.Columns;
        for (int i = 0; i < rows.Length; i++)
        {
            x.Row(rows[i]).CopyTo(buffer.AsSpan(i * d, d));
        }
        return buffer;
    }

    private static int MaxCount(int[] counts)
    {
        int max = 0;
        foreach (int count in counts)
        {
            max = Math.Max(max, count);
        }
        return max;
    }

    /// <summary>The position of the smallest value among the entries carrying <paramref name="bit"/> (ties: the first, i.e. the lower class).</summary>
    private static int Argmin(ReadOnlySpan<byte> marks, ReadOnlySpan<double> values, byte bit)
    {
        int best = -1;
        for (int s = 0; s < marks.Length; s++)
        {
            if ((marks[s] & bit) != 0 && (best < 0 || values[s] < values[best]))
            {
                best = s;
            }
        }
        return best;
    }


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
