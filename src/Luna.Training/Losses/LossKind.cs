namespace Luna.Training.Losses;

/// <summary>The training loss (docs/method.md).</summary>
public enum LossKind
{
    /// <summary>Cross-entropy only.</summary>
    Ce,

    /// <summary>Cross-entropy + beta * center loss (Wen et al. 2016; every lambda_j = 1).</summary>
    Center,

    /// <summary>Cross-entropy + beta * weighted center loss, lambda_j from the class counts (the LUNA paper's loss).</summary>
    WCenter,

    /// <summary>Focal loss (baseline).</summary>
    Focal,

    /// <summary>Balanced softmax / logit adjustment (baseline).</summary>
    BalancedSoftmax,
}
