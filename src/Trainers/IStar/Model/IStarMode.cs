using System.Text.Json.Serialization;

namespace MlNetIso.Trainers.IStar.Model;

/// <summary>
/// What an I-STAR model trains: a head over a feature column, or a whole encoder over a text column. Chosen by which of
/// <see cref="IStarOptions.FeatureColumnName"/> and <see cref="IStarOptions.TextColumnName"/> is set; stored in
/// <c>istar.json</c> under the names the format has always used ("head-only", "fine-tune").
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<IStarMode>))]
internal enum IStarMode
{
    /// <summary>A tanh MLP head over a known-size float vector column, regularised on its hidden layer.</summary>
    [JsonStringEnumMemberName("head-only")]
    HeadOnly,

    /// <summary>A BERT-family encoder plus a linear head over a text column, regularised on the encoder's token states.</summary>
    [JsonStringEnumMemberName("fine-tune")]
    FineTune,
}
