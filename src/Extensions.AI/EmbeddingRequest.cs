namespace MlNetIso.Extensions.AI;

/// <summary>
/// One caller's texts waiting in the <see cref="EmbeddingBatcher"/>'s queue, with the task the caller awaits. The task is
/// completed once: with the vectors, with the caller's own failure, or as cancelled when the caller's token fires (the
/// batcher then skips the request if it has not run yet, and drops its result if it has).
/// </summary>
internal sealed class EmbeddingRequest
{
    private readonly TaskCompletionSource<EmbeddedTexts> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EmbeddingRequest(string[] texts) => Texts = texts;

    /// <summary>The texts, prefixes already applied.</summary>
    public string[] Texts { get; }

    /// <summary>What the caller awaits.</summary>
    public Task<EmbeddedTexts> Task => _completion.Task;

    /// <summary>True once the request has a result, a failure or was cancelled.</summary>
    public bool IsCompleted => _completion.Task.IsCompleted;

    public void Complete(EmbeddedTexts result) => _completion.TrySetResult(result);

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
}
