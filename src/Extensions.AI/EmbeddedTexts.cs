namespace MlNetIso.Extensions.AI;

/// <summary>The result of one request: its texts' vectors (texts × d, row-major, request order) and the tokens the encoder read.</summary>
internal sealed record EmbeddedTexts(float[] Vectors, long TokenCount);
