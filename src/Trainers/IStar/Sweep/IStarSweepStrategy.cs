namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>How <see cref="IStarSweepOptions"/> chooses the candidates.</summary>
public enum IStarSweepStrategy
{
    /// <summary>
    /// Every combination of the parameters' grid values: the explicit <see cref="IStarSweepOptions.Values"/>, else every
    /// choice, else <see cref="IStarSweepOptions.GridSteps"/> evenly spaced feature-space points of a range.
    /// </summary>
    Grid,

    /// <summary><see cref="IStarSweepOptions.Candidates"/> seeded uniform points of the feature space.</summary>
    Random,

    /// <summary>
    /// <see cref="IStarSweepOptions.Candidates"/> seeded Latin-hypercube points: each coordinate's [0, 1] is cut into as
    /// many equal strata as candidates and every stratum is used once.
    /// </summary>
    LatinHypercube,
}
