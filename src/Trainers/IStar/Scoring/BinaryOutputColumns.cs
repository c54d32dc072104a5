using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// The columns of a binary I-STAR model, typed and annotated as ML.NET's binary scorer writes them so that
/// <c>BinaryClassification.Evaluate</c>, <c>EvaluateNonCalibrated</c> and prediction classes work unchanged:
/// <list type="bullet">
/// <item><c>Score</c> (Single): the margin <c>s = logit₁ − logit₀</c>, the log-odds of <c>true</c>. A two-logit softmax
/// network trained with cross-entropy is logistic regression on this margin.</item>
/// <item><c>Probability</c> (Single): <c>σ(s) = 1 / (1 + e^(−s))</c>, equal to the softmax probability of class 1.</item>
/// <item><c>PredictedLabel</c> (Boolean): <c>s &gt; 0</c>, ML.NET's default threshold on a binary score.</item>
/// </list>
/// Each carries <c>ScoreColumnSetId</c> (one more than the largest set id of the input schema, as ML.NET's scorers
/// number their column sets), <c>ScoreColumnKind</c> = "BinaryClassification" and <c>ScoreValueKind</c> = "Score",
/// "Probability" or "PredictedLabel"; Probability also has <c>IsNormalized</c> = true.
/// </summary>
internal sealed class BinaryOutputColumns : ClassifierOutputColumns
{
    /// <summary>The <see cref="ClassifierOutputColumns.ScoreColumnKind"/> value of binary classifiers.</summary>
    public const string BinaryClassification = "BinaryClassification";

    private readonly string scoreColumnName;
    private readonly string probabilityColumnName;
    private readonly string predictedLabelColumnName;

    /// <summary>Columns under the given names.</summary>
    public BinaryOutputColumns(string scoreColumnName, string probabilityColumnName, string predictedLabelColumnName)
    {
        this.scoreColumnName = scoreColumnName;
        this.probabilityColumnName = probabilityColumnName;
        this.predictedLabelColumnName = predictedLabelColumnName;
    }

    /// <inheritdoc />
    public override int Count => 3;

    /// <summary>
    /// The estimator-time shape: <paramref name="input"/> plus Score and Probability (Single) and PredictedLabel (Boolean),
    /// with the score-set annotations ML.NET's binary trainers declare (and <c>IsNormalized</c> on Probability).
    /// </summary>
    public static SchemaShape Shape(SchemaShape input, string scoreColumnName, string probabilityColumnName, string predictedLabelColumnName)
    {
        var scoreSet = ScoreSetShapes();
        return SchemaShapes.With(input,
            SchemaShapes.Scalar(scoreColumnName, NumberDataViewType.Single, scoreSet),
            SchemaShapes.Scalar(probabilityColumnName, NumberDataViewType.Single, [.. scoreSet, SchemaShapes.Scalar(IsNormalized, BooleanDataViewType.Instance)]),
            SchemaShapes.Scalar(predictedLabelColumnName, BooleanDataViewType.Instance, scoreSet));
    }

    /// <summary>The margin <c>logit₁ − logit₀</c> of a row's two logits.</summary>
    public static float Margin(float[] logits) => logits[1] - logits[0];

    /// <summary>The logistic function σ(s) = 1 / (1 + e^(−s)), evaluated in double precision.</summary>
    public static float Sigmoid(float margin) => (float)(1.0 / (1.0 + Math.Exp(-(double)margin)));

    /// <inheritdoc />
    protected override void AddColumns(DataViewSchema.Builder builder, uint setId)
    {
        builder.AddColumn(scoreColumnName, NumberDataViewType.Single, ScoreSetAnnotations(new(), setId, BinaryClassification, "Score").ToAnnotations());
        var probability = ScoreSetAnnotations(new(), setId, BinaryClassification, "Probability");
        probability.Add(IsNormalized, BooleanDataViewType.Instance, (ref bool value) => value = true);
        builder.AddColumn(probabilityColumnName, NumberDataViewType.Single, probability.ToAnnotations());
        builder.AddColumn(predictedLabelColumnName, BooleanDataViewType.Instance,
            ScoreSetAnnotations(new(), setId, BinaryClassification, "PredictedLabel").ToAnnotations());
    }

    /// <inheritdoc />
    public override Delegate CreateGetter(int offset, IStarRowScores scores) => offset switch
    {
        0 => (ValueGetter<float>)((ref float value) =>
        {
            scores.Update();
            value = Margin(scores.Logits);
        }),
        1 => (ValueGetter<float>)((ref float value) =>
        {
            scores.Update();
            value = Sigmoid(Margin(scores.Logits));
        }),
        2 => (ValueGetter<bool>)((ref bool value) =>
        {
            scores.Update();
            value = Margin(scores.Logits) > 0;
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(offset)),
    };
}
