using Microsoft.ML.SearchSpace;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Sweep;

namespace MlNetIso.Trainers.Tests.IStar.Sweep;

/// <summary>The search space read from IStarOptions' Microsoft.ML.SearchSpace attributes, and its feature-space mapping.</summary>
public sealed class IStarSearchSpaceTests
{
    [Fact]
    public void FromAttributes_HoldsExactlyTheAttributedOptionsWithTheirRanges()
    {
        var space = IStarSearchSpace.FromAttributes();
        string Describe(IStarSearchParameter p) => p.Kind switch
        {
            IStarSearchParameterKind.Range => $"{p.Name} {p.ValueType.Name} [{p.Minimum}, {p.Maximum}]{(p.LogScale ? " log" : "")} init {p.Default}",
            _ => $"{p.Name} {p.ValueType.Name} {{{string.Join(", ", p.Choices)}}} default {p.Default}",
        };
        Assert.Equal(
        [
            "Lambda Double [-5, 5] init -1",
            "Zeta Double [0, 1] init 0.2",
            "ReferencePoints Int32 [1000, 1000000] log init 250000",
            "BatchSize Int32 {8, 16, 32, 64, 128} default 32",
            "Epochs Int32 [1, 50] init 5",
            "LearningRate Double [1E-06, 0.1] log init 0.001",
            "WeightDecay Double [0, 0.3] init 0.01",
            "HiddenSize Int32 {16, 32, 64, 128, 256} default 64",
            "MaxTokens Int32 {32, 64, 128, 256} default 64",
            "ExcludePadding Boolean {False, True} default True",
        ], space.Parameters.Select(p => FormattableString.Invariant($"{Describe(p)}")));
        Assert.Equal(10, space.FeatureSpaceDimension);

        // Exactly the attributed properties: every public get/set property with one of the three attributes, and no other.
        var attributed = typeof(IStarOptions).GetProperties()
            .Where(p => p.IsDefined(typeof(RangeAttribute), false) || p.IsDefined(typeof(ChoiceAttribute), false) || p.IsDefined(typeof(BooleanChoiceAttribute), false))
            .Select(p => p.Name).Order();
        Assert.Equal(attributed, space.Parameters.Select(p => p.Name).Order());
        // The defaults the attributes declare are the options' own defaults.
        var defaults = new IStarOptions();
        foreach (var p in space.Parameters)
            Assert.Equal(typeof(IStarOptions).GetProperty(p.Name)!.GetValue(defaults), p.Default);
    }

    [Fact]
    public void FromAttributes_TakesASubsetInTheGivenOrderAndRejectsOtherNames()
    {
        var space = IStarSearchSpace.FromAttributes("zeta", "Lambda");
        Assert.Equal(["Zeta", "Lambda"], space.Parameters.Select(p => p.Name));

        var notSweepable = Assert.Throws<ArgumentException>(() => IStarSearchSpace.FromAttributes("Seed"));
        Assert.Contains("'Seed' is not a sweepable option", notSweepable.Message);
        Assert.Contains("Lambda, Zeta, ReferencePoints", notSweepable.Message);
        Assert.Contains("named twice", Assert.Throws<ArgumentException>(() => IStarSearchSpace.FromAttributes("Lambda", "lambda")).Message);
    }

    [Fact]
    public void FeatureSpace_MapsLinearLogIntegerChoiceAndBooleanCoordinates()
    {
        var space = IStarSearchSpace.FromAttributes("Lambda", "LearningRate", "Epochs", "BatchSize", "ExcludePadding");
        var low = space.SampleFromFeatureSpace([0, 0, 0, 0, 0]);
        Assert.Equal<object>([-5.0, 1e-6, 1, 8, false], low.Values);
        var high = space.SampleFromFeatureSpace([1, 1, 1, 1, 1]);
        Assert.Equal<object>([5.0, 0.1, 50, 128, true], high.Values);
        var mid = space.SampleFromFeatureSpace([0.5, 0.5, 0.5, 0.5, 0.5]);
        Assert.Equal(0.0, (double)mid["Lambda"], 12);
        Assert.Equal(Math.Sqrt(1e-6 * 0.1), (double)mid["LearningRate"], 12);   // geometric midpoint on a log range
        Assert.Equal(26, mid["Epochs"]);                                         // 25.5 rounds to an int
        Assert.Equal(32, mid["BatchSize"]);                                      // ⌊0.5·5⌋ = choice 2
        Assert.Equal(true, mid["ExcludePadding"]);                               // ⌊0.5·2⌋ = choice 1
        Assert.Equal(64, IStarSearchSpace.FromAttributes("BatchSize").SampleFromFeatureSpace([0.79])["BatchSize"]);

        Assert.Throws<ArgumentOutOfRangeException>(() => space.SampleFromFeatureSpace([1.5, 0, 0, 0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => space.SampleFromFeatureSpace([double.NaN, 0, 0, 0, 0]));
        Assert.Throws<ArgumentException>(() => space.SampleFromFeatureSpace([0, 0]));
    }

    [Fact]
    public void Apply_SetsTheValuesOnACopyAndChecksTheirTypes()
    {
        var space = IStarSearchSpace.FromAttributes("Lambda", "HiddenSize");
        var original = new IStarOptions { FeatureColumnName = "F", Lambda = 3, Epochs = 9 };
        var copy = space.Apply(original, new Dictionary<string, object> { ["Lambda"] = -0.5, ["HiddenSize"] = 16 });
        Assert.Equal((-0.5, 16, 9, "F"), (copy.Lambda, copy.HiddenSize, copy.Epochs, copy.FeatureColumnName));
        Assert.Equal((3.0, 64), (original.Lambda, original.HiddenSize));

        Assert.Contains("must be a Int32", Assert.Throws<ArgumentException>(() =>
            space.Apply(original, new Dictionary<string, object> { ["HiddenSize"] = 16.0 })).Message);
        Assert.Contains("'Zeta' is not a parameter", Assert.Throws<ArgumentException>(() =>
            space.Apply(original, new Dictionary<string, object> { ["Zeta"] = 0.5 })).Message);
    }
}
