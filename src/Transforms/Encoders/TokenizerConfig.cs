using System.Text.Json.Nodes;
using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Transforms.Encoders;

/// <summary>
/// The tokenizer settings of an encoder folder, from Hugging Face's <c>tokenizer_config.json</c>: casing
/// (<c>do_lower_case</c>, <c>strip_accents</c>), the special tokens and <c>model_max_length</c>. A missing file or key
/// reads as the <c>BertTokenizer</c> default. <see cref="ToTokenizerOptions"/> is the one place where these settings
/// become tokenizer options, so every component tokenizes a folder the same way.
/// </summary>
public sealed record TokenizerConfig
{
    /// <summary>The settings of a folder without <c>tokenizer_config.json</c>.</summary>
    public static TokenizerConfig Default { get; } = new();

    /// <summary><c>do_lower_case</c>; null when absent (then true, as for uncased BERT).</summary>
    public bool? LowerCase { get; init; }

    /// <summary><c>strip_accents</c>; null when absent (then the lower-casing setting, Hugging Face's rule).</summary>
    public bool? StripAccents { get; init; }

    /// <summary><c>cls_token</c>, default <c>[CLS]</c>.</summary>
    public string ClsToken { get; init; } = "[CLS]";

    /// <summary><c>sep_token</c>, default <c>[SEP]</c>.</summary>
    public string SepToken { get; init; } = "[SEP]";

    /// <summary><c>pad_token</c>, default <c>[PAD]</c>.</summary>
    public string PadToken { get; init; } = "[PAD]";

    /// <summary><c>unk_token</c>, default <c>[UNK]</c>.</summary>
    public string UnkToken { get; init; } = "[UNK]";

    /// <summary><c>mask_token</c>, default <c>[MASK]</c>.</summary>
    public string MaskToken { get; init; } = "[MASK]";

    /// <summary><c>model_max_length</c>; null when absent or not an Int32 (Hugging Face writes 1e30 for "no limit").</summary>
    public int? ModelMaxLength { get; init; }

    /// <summary><c>tokenizer_class</c>, e.g. <c>BertTokenizer</c>; null when absent.</summary>
    public string? TokenizerClass { get; init; }

    /// <summary>
    /// The WordPiece tokenizer options for this folder: lower-case = <paramref name="lowerCase"/> ?? <see cref="LowerCase"/>
    /// ?? true; strip accents = <paramref name="stripAccents"/> ?? <see cref="StripAccents"/> ?? lower-case.
    /// </summary>
    /// <param name="lowerCase">A caller's override (e.g. an option the user set); null takes the folder's.</param>
    /// <param name="stripAccents">A caller's override; null takes the folder's.</param>
    public BertTextTokenizerOptions ToTokenizerOptions(bool? lowerCase = null, bool? stripAccents = null)
    {
        var lower = lowerCase ?? LowerCase ?? true;
        return new BertTextTokenizerOptions { LowerCase = lower, StripAccents = stripAccents ?? StripAccents ?? lower };
    }

    /// <summary>Reads <paramref name="path"/>; <see cref="Default"/> when it does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object; the message names it.</exception>
    internal static TokenizerConfig Read(string path)
    {
        var json = EncoderJson.ReadObject(path);
        if (json is null) return Default;
        return new TokenizerConfig
        {
            LowerCase = EncoderJson.Bool(json, "do_lower_case"),
            StripAccents = EncoderJson.Bool(json, "strip_accents"),
            ClsToken = Token(json, "cls_token") ?? Default.ClsToken,
            SepToken = Token(json, "sep_token") ?? Default.SepToken,
            PadToken = Token(json, "pad_token") ?? Default.PadToken,
            UnkToken = Token(json, "unk_token") ?? Default.UnkToken,
            MaskToken = Token(json, "mask_token") ?? Default.MaskToken,
            ModelMaxLength = EncoderJson.Int(json, "model_max_length"),
            TokenizerClass = EncoderJson.String(json, "tokenizer_class"),
        };

        // A special token is a string, or (newer files) an AddedToken object whose "content" is the string.
        static string? Token(JsonObject json, string name) =>
            EncoderJson.String(json, name) ?? EncoderJson.String(json[name] as JsonObject, "content");
    }

    /// <summary>Writes these settings as <c>tokenizer_config.json</c> at <paramref name="path"/> (atomically).</summary>
    internal void Write(string path)
    {
        var json = new JsonObject();
        if (LowerCase is { } lower) json["do_lower_case"] = lower;
        if (StripAccents is { } strip) json["strip_accents"] = strip;
        json["cls_token"] = ClsToken;
        json["sep_token"] = SepToken;
        json["pad_token"] = PadToken;
        json["unk_token"] = UnkToken;
        json["mask_token"] = MaskToken;
        if (ModelMaxLength is { } max) json["model_max_length"] = max;
        if (TokenizerClass is { } cls) json["tokenizer_class"] = cls;
        EncoderJson.Write(path, json);
    }
}
