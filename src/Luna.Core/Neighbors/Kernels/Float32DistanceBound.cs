namespace Luna.Core.Neighbors.Kernels;

/// <summary>
/// A rigorous bound on the error of the float32 squared distance D̂ = max(0, fl(fl(n̂_a + n̂_b) − 2ĉ)) computed by the
/// kernels (<see cref="IInnerProductKernel.SquaredDistances"/>), relative to the exact squared distance and to the
/// double-precision value <see cref="ExactDistance.Squared"/> that the exact re-rank uses:
/// |D̂ − D| ≤ β(d)·(n̂_a + n̂_b), with β(d) = u·(1.02·d + 5) and u = 2⁻²⁴, for d ≤ <see cref="MaxDimension"/>.
/// </summary>
/// <remarks>
/// <para>Derivation. Let a, b be float32 vectors of length d, E = ‖a − b‖² (exact), S = ‖a‖² + ‖b‖², c = a·b, so
/// E = S − 2c and |2c| ≤ 2‖a‖‖b‖ ≤ S, hence 0 ≤ E ≤ 2S. u = 2⁻²⁴ is the float32 unit roundoff and
/// γ_n = n·u / (1 − n·u) (Higham, Accuracy and Stability of Numerical Algorithms, §3.1). Standard model: no overflow
/// (squared norms below 3·10³⁸); underflow of tiny products adds at most d·2⁻¹⁴⁹ in absolute terms, which the
/// 0.98·u·S margin below absorbs unless S is below ~10⁻³².</para>
/// <para>(1) Norms (<see cref="RowNorms"/>): squares of floats are exact in double, the double sum of d terms has
/// relative error ≤ γ_d in double (≤ 1.01·d·2⁻⁵³ ≤ 2⁻³⁶ for d ≤ 2¹⁶), and the rounding to float adds u:
/// n̂_a = ‖a‖²(1 + θ_a) with |θ_a| ≤ u₁ := u·(1 + 2⁻¹¹).</para>
/// <para>(2) ŝ = fl(n̂_a + n̂_b) = (n̂_a + n̂_b)(1 + δ₁), |δ₁| ≤ u, so |ŝ − S| ≤ (u₁ + u + u·u₁)·S ≤ 2.001·u·S.</para>
/// <para>(3) ĉ, the float32 dot product: whatever the summation order and whether or not products are fused (the
/// managed kernel is one FMA chain; OpenBLAS uses its own order), every term a_p·b_p passes through at most d
/// roundings, so |ĉ − c| ≤ γ_d·Σ_p |a_p·b_p| ≤ γ_d·‖a‖·‖b‖ ≤ γ_d·S/2 (Cauchy–Schwarz, then 2xy ≤ x² + y²).</para>
/// <para>(4) D̂' = fl(ŝ − 2ĉ) = (ŝ − 2ĉ)(1 + δ₂), |δ₂| ≤ u (the factor 2 is exact; FMA or add, one rounding). Then
/// |D̂' − E| ≤ |ŝ − S| + 2|ĉ − c| + u·|ŝ − 2ĉ| ≤ 2.001u·S + γ_d·S + u·(E + 2.001u·S + γ_d·S)
/// ≤ S·(γ_d + 4.001u + u·(2.001u + γ_d)), using E ≤ 2S. Clamping to max(0, D̂') cannot move it away from E ≥ 0.</para>
/// <para>(5) For d ≤ 2¹⁶, d·u ≤ 2⁻⁸ so γ_d ≤ 1.004·d·u, and |D̂ − E| ≤ u·S·(1.004·d + 4.01) (the u² terms are below
/// 0.005·u·S). Expressed with the computed norms, S ≤ (n̂_a + n̂_b)/(1 − u₁) ≤ 1.0001·(n̂_a + n̂_b).</para>
/// <para>(6) The re-rank's double value D̃ = <see cref="ExactDistance.Squared"/>: each difference a_p − b_p of two
/// floats in double is exact or rounded once, its square rounded once, and the sum of d non-negative terms adds at
/// most d roundings, so |D̃ − E| ≤ γ_{d+2}·E in double ≤ 1.01·(d + 2)·2⁻⁵³·2S ≤ 10⁻⁸·u·(d + 2)·S.</para>
/// <para>Together |D̂ − D̃| ≤ u·(n̂_a + n̂_b)·(1.0001·(1.004·d + 4.01) + 10⁻⁸·(d + 2)) ≤ u·(1.006·d + 4.02)·(n̂_a + n̂_b),
/// and β(d) = u·(1.02·d + 5) leaves a margin of at least 0.014·d·u·S + 0.98·u·S that also absorbs the double rounding of
/// the bound arithmetic itself (relative 2⁻⁵², on quantities ≤ 3S).</para>
/// <para>Use: with e_j = β(d)·(n̂_a + n̂_b,j) per pair, the intervals [D̂_j − e_j, D̂_j + e_j] contain both the exact E_j
/// and the double D̃_j. If T is the k-th smallest upper end D̂_j + e_j over all references, at least k references have
/// D̃ ≤ T, so a reference whose lower end D̂_j − e_j exceeds T has D̃_j strictly greater than k others and cannot be
/// in the exact top k, ties included. Keeping every reference with D̂_j − e_j ≤ T (for a constant bound, within 2·bound
/// of the k-th float32 distance) therefore keeps the whole exact top k; see <see cref="CandidateAccumulator"/>.</para>
/// <para>The bound grows with the norms, not with the distance: data far from the origin relative to its spread
/// (cancellation in ‖a‖² + ‖b‖² − 2a·b) gets a wide margin and many candidates. Centering the features first
/// (distances are translation invariant) keeps the margin small.</para>
/// <para>Centred float32 copies (<see cref="CenteredCoefficient"/>). If the float32 pass runs on a' = fl(a − μ),
/// b' = fl(b − μ) (μ any vector, the difference taken in double and rounded once, so a'_p = x_p(1 + θ_p),
/// |θ_p| ≤ u' := u(1 + 2⁻²⁹), with x = a − μ, y = b − μ) while the re-rank still uses a and b, the pass approximates
/// ‖a' − b'‖² instead of E = ‖x − y‖². With e = (a' − b') − (x − y), |e_p| ≤ u'(|x_p| + |y_p|), so
/// ‖e‖ ≤ u'(‖x‖ + ‖y‖) and |‖a' − b'‖² − E| = |2(x − y)·e + ‖e‖²| ≤ 2√E·‖e‖ + ‖e‖² ≤ (2u' + u'²)(‖x‖ + ‖y‖)²
/// ≤ (4u' + 2u'²)(‖x‖² + ‖y‖²), using √E ≤ ‖x‖ + ‖y‖. Adding 4.0001·u·S' (S' = ‖x‖² + ‖y‖², within 1.0001 of the
/// centred norms the kernel uses) to step (5)–(6) gives u·(1.006·d + 8.03)·S', covered by u·(1.02·d + 9).</para>
/// </remarks>
internal static class Float32DistanceBound
{
    /// <summary>Largest dimension d for which the bound is derived (d·u ≤ 2⁻⁸).</summary>
    public const int MaxDimension = 1 << 16;

    /// <summary>The float32 unit roundoff u = 2⁻²⁴.</summary>
    public const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>β(d) = u·(1.02·d + 5): |D̂ − D̃| ≤ β(d)·(n̂_a + n̂_b) for squared distances between d-dimensional rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">d is negative or above <see cref="MaxDimension"/>.</exception>
    public static double Coefficient(int d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(d, MaxDimension);
        return UnitRoundoff * ((1.02 * d) + 5);
    }

    /// <summary>
    /// β_c(d) = u·(1.02·d + 9): the coefficient when the float32 pass runs on centred copies fl(a − μ), fl(b − μ) (and
    /// their norms) while the exact re-rank uses the original rows; the bound is β_c(d)·(n̂_a' + n̂_b').
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">d is negative or above <see cref="MaxDimension"/>.</exception>
    public static double CenteredCoefficient(int d) => Coefficient(d) + (4 * UnitRoundoff);

    /// <summary>The bound β(d)·(n̂_a + n̂_b) for one pair, from the float32 squared norms the kernel used.</summary>
    public static double Bound(int d, float aNorm, float bNorm) => Coefficient(d) * ((double)aNorm + bNorm);
}
