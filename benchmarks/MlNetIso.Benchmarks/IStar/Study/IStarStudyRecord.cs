namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// One completed run of the I-STAR study, one line of the study's JSONL file. <see cref="Key"/> identifies the run
/// (mode, dataset, λ, seed) so a restarted study skips what is already there.
/// </summary>
internal sealed record IStarStudyRecord
{
    /// <summary>"fine-tune/rt-polarity/λ=-1/seed=1" and the like.</summary>
    public string Key { get; init; } = "";

    /// <summary>"fine-tune" (all-MiniLM-L6-v2 trained end to end) or "head-only" (a tanh head on frozen embeddings).</summary>
    public string Mode { get; init; } = "";

    public string Dataset { get; init; } = "";

    public double Lambda { get; init; }

    public double Zeta { get; init; }

    public int Seed { get; init; }

    public int TrainRows { get; init; }

    public int TestRows { get; init; }

    public int Epochs { get; init; }

    public double LearningRate { get; init; }

    /// <summary>Test accuracy (arg-max of the logits against the label).</summary>
    public double Accuracy { get; init; }

    /// <summary>Mean mini-batch IsoScore* during the last training epoch (NaN when λ = 0: not computed by training).</summary>
    public double TrainIsoScoreStar { get; init; }

    /// <summary>IsoScore of the regularised points on the test set (token states of all layers, or the head's hidden layer).</summary>
    public double TestIsoScore { get; init; }

    /// <summary>Mean mini-batch IsoScore* of the regularised points on the test set, C0 = their covariance, the training ζ.</summary>
    public double TestIsoScoreStar { get; init; }

    /// <summary>Points that entered <see cref="TestIsoScore"/>.</summary>
    public long IsotropyPoints { get; init; }

    /// <summary>TwoNN intrinsic dimension of a fixed-seed sample of the regularised points on the test set.</summary>
    public double PointsTwoNN { get; init; }

    /// <summary>Points in the TwoNN sample.</summary>
    public int PointsTwoNNSample { get; init; }

    /// <summary>Fine-tune: IsoScore of the test sentence embeddings (mean-pooled last layer, the head's input); NaN head-only.</summary>
    public double SentenceIsoScore { get; init; }

    /// <summary>Fine-tune: TwoNN intrinsic dimension of the test sentence embeddings; NaN head-only.</summary>
    public double SentenceTwoNN { get; init; }

    /// <summary>Wall seconds of Fit.</summary>
    public double FitSeconds { get; init; }

    /// <summary>Process CPU seconds during Fit (all threads).</summary>
    public double FitCpuSeconds { get; init; }

    /// <summary>Wall seconds of the test-set measurements (accuracy, isotropy, TwoNN).</summary>
    public double MeasureSeconds { get; init; }

    /// <summary>1-minute load average when the run finished (the machine is shared).</summary>
    public double LoadAverage { get; init; }

    /// <summary>UTC time the run finished.</summary>
    public DateTime FinishedUtc { get; init; }
}
