namespace MlNetIso.Trainers.IStar.Labels;

/// <summary>
/// The class set of an I-STAR model: K and the class names in class order. Multiclass models take them from the label's
/// key type and its <c>KeyValues</c> annotation (<see cref="KeyLabelReader"/>); binary models have "False" and "True"
/// (<see cref="BooleanLabelReader"/>).
/// </summary>
internal sealed class IStarLabels
{
    /// <summary>Creates a class set from explicit names.</summary>
    public IStarLabels(IReadOnlyList<string> classNames, bool hasKeyValues)
    {
        if (classNames.Count < 2) throw new ArgumentException("A classifier needs at least 2 classes.", nameof(classNames));
        ClassNames = classNames.ToArray();
        HasKeyValues = hasKeyValues;
    }

    /// <summary>K.</summary>
    public int Count => ClassNames.Count;

    /// <summary>Class names in key order (key value k+1 ↔ index k).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether the training label carried a KeyValues annotation (then PredictedLabel carries one too).</summary>
    public bool HasKeyValues { get; }
}
