namespace MlNetIso.Cli.Rendering;

/// <summary>How a measure's value is shown, the same in tables and on plots.</summary>
internal enum MeasureUnit
{
    /// <summary>A whole number (rows, dimensions).</summary>
    Count,

    /// <summary>A score in [0, 1], shown with four decimals.</summary>
    Score,

    /// <summary>A share of a total, shown as a percentage everywhere (tables and plot axes).</summary>
    Share,

    /// <summary>A cosine similarity in [−1, 1], four decimals.</summary>
    Cosine,

    /// <summary>A number of directions or dimensions, one decimal.</summary>
    Directions,

    /// <summary>An entropy in nats, three decimals.</summary>
    Nats,
}
