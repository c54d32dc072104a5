namespace MlNetIso.Transforms.Isotropy;

/// <summary>What <see cref="IsotropyEstimator.Fit"/> does with a row holding NaN or ±Infinity.</summary>
public enum InvalidValueHandling
{
    /// <summary>Throw an <see cref="InvalidOperationException"/> naming the column and the row (the default).</summary>
    Fail = 0,

    /// <summary>Leave the row out of every statistic and count it in <see cref="IsotropyReport.SkippedRowCount"/>.</summary>
    Skip = 1,
}
