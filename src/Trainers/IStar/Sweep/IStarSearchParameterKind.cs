namespace MlNetIso.Trainers.IStar.Sweep;

/// <summary>How a sweepable option of <see cref="IStarOptions"/> is declared, after ML.NET's search-space attributes.</summary>
public enum IStarSearchParameterKind
{
    /// <summary><c>[Range(min, max, init, logBase)]</c>: a numeric interval, linear or logarithmic.</summary>
    Range,

    /// <summary><c>[Choice(candidates, default)]</c>: one of a list of values.</summary>
    Choice,

    /// <summary><c>[BooleanChoice(default)]</c>: false or true.</summary>
    Boolean,
}
