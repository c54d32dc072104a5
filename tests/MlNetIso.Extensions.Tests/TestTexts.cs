namespace MlNetIso.Extensions.Tests;

/// <summary>Short review-like texts of different lengths, and a closeness check for vectors.</summary>
internal static class TestTexts
{
    public static readonly string[] Reviews =
    [
        "a gripping, beautifully shot film",
        "the plot drags and the jokes fall flat",
        "an uneven but often funny comedy about two brothers who inherit a failing restaurant",
        "dull",
        "the best performance of her career, in a story that never quite earns its ending",
        "i laughed, i cried, i checked my watch",
        "a documentary that trusts its audience",
        "two hours of noise",
    ];

    public static void AssertClose(ReadOnlyMemory<float> expectedVector, ReadOnlyMemory<float> actualVector, double tolerance, string because)
    {
        var expected = expectedVector.Span;
        var actual = actualVector.Span;
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance,
                $"{because}: element {j} is {actual[j]}, expected {expected[j]} (tolerance {tolerance}).");
    }
}
