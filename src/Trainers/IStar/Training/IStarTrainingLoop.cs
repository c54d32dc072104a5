using Microsoft.ML.Runtime;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.Optim;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// The I-STAR optimisation loop (docs/algorithms.md, "I-STAR"): per epoch, rebuild the C0 bank from the current model
/// (evaluation mode, no gradients, streamed), then AdamW steps on <c>CE + λ(1 − IsoScore*(points; C0, ζ))</c> over a
/// seeded shuffle (AdamW via <see cref="ScalarSafeAdamW"/>); optional validation accuracy with early stopping that keeps the best epoch's weights.
/// A <see cref="DivergenceGuard"/> checks every step's loss and updated weights, every epoch's reference points and
/// the trained model's scores, and stops training with an <see cref="IStarDivergenceException"/> the moment one is not finite.
/// </summary>
internal sealed class IStarTrainingLoop
{
    private readonly IStarOptions options;
    private readonly Device device;
    private readonly IChannel channel;
    private readonly IProgressChannel? progress;
    private DivergenceGuard? guard;
    private bool weightsChecked;

    /// <summary>Creates a loop for the given options, device and ML.NET channels.</summary>
    public IStarTrainingLoop(IStarOptions options, Device device, IChannel channel, IProgressChannel? progress)
    {
        this.options = options;
        this.device = device;
        this.channel = channel;
        this.progress = progress;
    }

    /// <summary>Trains <paramref name="network"/> in place and returns the per-epoch metrics.</summary>
    public IReadOnlyList<IStarEpochMetrics> Train(
        ClassifierNetwork network, TrainingExamples train, int[] trainLabels,
        TrainingExamples? validation, int[]? validationLabels, int seed)
    {
        var random = new Random(seed);
        var history = new List<IStarEpochMetrics>();
        using var optimizer = new ScalarSafeAdamW(network.parameters(), options.LearningRate, options.WeightDecay);
        var check = Guard(network);
        check.StepsPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        Dictionary<string, Tensor>? best = null;
        double bestAccuracy = double.NegativeInfinity;
        int sinceBest = 0;
        var order = Enumerable.Range(0, train.Count).ToArray();
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                check.Epoch = epoch;
                check.Step = 0;
                random.Shuffle(order);
                // C0 is accumulated in float64 and cast once per epoch to the float32 of the training points (with its
                // trace and squared norm kept in float64), so the steps do not convert an n×n matrix every time.
                using var c0 = options.Lambda != 0 ? new IsoScoreStarReference(BuildReferenceCovariance(network, train, order)) : null;
                var (loss, taskLoss, iso) = RunEpoch(network, optimizer, train, trainLabels, order, c0);
                double accuracy = validation is null ? double.NaN : Accuracy(network, validation, validationLabels!);
                var metrics = new IStarEpochMetrics(epoch, loss, taskLoss, iso, accuracy);
                history.Add(metrics);
                Report(metrics);
                if (validation is null || options.EarlyStoppingPatience <= 0) continue;
                if (accuracy > bestAccuracy)
                {
                    bestAccuracy = accuracy;
                    sinceBest = 0;
                    DisposeAll(best);
                    best = Snapshot(network);
                }
                else if (++sinceBest >= options.EarlyStoppingPatience)
                {
                    channel.Info(MessageSensitivity.None, "I-STAR early stopping after epoch {0}: best validation accuracy {1:F4}.", epoch, bestAccuracy);
                    break;
                }
            }
            if (best is not null) Restore(network, best);
            CheckScores(network, train, order, check);
        }
        finally
        {
            DisposeAll(best);
        }
        network.eval();
        return history;
    }

    /// <summary>The guard for <paramref name="network"/> (one per loop; a loop trains one network).</summary>
    private DivergenceGuard Guard(ClassifierNetwork network) => guard ??= new DivergenceGuard(options, network.parameters().ToList());

    /// <summary>Scores the first batch of the training data with the trained weights; throws when a score is not finite.</summary>
    private void CheckScores(ClassifierNetwork network, TrainingExamples train, int[] order, DivergenceGuard check)
    {
        network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var batch = train.MakeBatch(order.AsSpan(0, Math.Min(options.BatchSize, order.Length)), device);
        check.CheckScores(network.Forward(batch).Logits);
    }

    /// <summary>
    /// Streams the regularised points of the current model over the rows in <paramref name="order"/> into a
    /// covariance (accumulated and returned in float64, on the training device), stopping after
    /// <see cref="IStarOptions.ReferencePoints"/> points.
    /// </summary>
    public Tensor BuildReferenceCovariance(ClassifierNetwork network, TrainingExamples data, int[] order)
    {
        network.eval();
        var bank = new ReferenceCovarianceBank(network.RepresentationSize, options.ReferencePoints);
        using (no_grad())
        {
            for (int start = 0; start < order.Length && !bank.IsFull; start += options.BatchSize)
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var batch = data.MakeBatch(order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)), device);
                try
                {
                    bank.Add(network.Forward(batch).Points);
                }
                catch (ArgumentException e) when (e.ParamName == "row" && guard is not null)
                {
                    // The geometry core refuses non-finite points; here they can only come from diverged weights.
                    throw guard.ReferencePointsNotFinite(e);
                }
            }
        }
        using var covariance = bank.Covariance();
        return covariance.to(device);
    }

    /// <summary>Fraction of rows of <paramref name="data"/> whose arg-max logit is the label.</summary>
    public double Accuracy(ClassifierNetwork network, TrainingExamples data, int[] labels) =>
        Accuracy(network, data, labels, options.BatchSize, device);

    /// <summary>Fraction of rows of <paramref name="data"/> whose arg-max logit is the label, scored in evaluation mode.</summary>
    public static double Accuracy(ClassifierNetwork network, TrainingExamples data, int[] labels, int batchSize, Device device)
    {
        network.eval();
        long correct = 0;
        var rows = Enumerable.Range(0, data.Count).ToArray();
        using (no_grad())
        {
            for (int start = 0; start < rows.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int size = Math.Min(batchSize, rows.Length - start);
                using var batch = data.MakeBatch(rows.AsSpan(start, size), device);
                var predicted = network.Forward(batch).Logits.argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < size; i++)
                    if (predicted[i] == labels[start + i]) correct++;
            }
        }
        return (double)correct / rows.Length;
    }

    private (double Loss, double TaskLoss, double IsoScoreStar) RunEpoch(
        ClassifierNetwork network, ScalarSafeAdamW optimizer, TrainingExamples train, int[] labels, int[] order, IsoScoreStarReference? c0)
    {
        network.train();
        double lossSum = 0, taskSum = 0, isoSum = 0;
        int steps = 0, isoSteps = 0;
        var batchLabels = new long[options.BatchSize];
        for (int start = 0; start < order.Length; start += options.BatchSize)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            if (guard is not null) guard.Step++;
            using var scope = NewDisposeScope();
            int size = Math.Min(options.BatchSize, order.Length - start);
            var rows = order.AsSpan(start, size);
            for (int i = 0; i < size; i++) batchLabels[i] = labels[rows[i]];
            using var batch = train.MakeBatch(rows, device);
            var target = AlignedTensors.Int64(batchLabels.AsSpan(0, size).ToArray(), [size], device);
            var (loss, task, iso) = Step(network, optimizer, batch, target, c0);
            lossSum += loss;
            taskSum += task;
            if (!double.IsNaN(iso))
            {
                isoSum += iso;
                isoSteps++;
            }
            steps++;
        }
        return (lossSum / steps, taskSum / steps, isoSteps == 0 ? double.NaN : isoSum / isoSteps);
    }

    /// <summary>
    /// One optimisation step on <paramref name="batch"/>: forward, <c>CE + λ(1 − IsoScore*)</c> (the regulariser only
    /// when <paramref name="c0"/> is given and the batch has at least 2 points), backward, AdamW update.
    /// Returns the loss, the task loss and the batch IsoScore* (NaN when not computed).
    /// </summary>
    /// <remarks>
    /// The regulariser's gradient with respect to the points comes in closed form from <see cref="IsoScoreStarGradient"/>
    /// and enters the same backward pass as the cross-entropy (<c>autograd.backward([CE, points], [1, ∂penalty/∂points])</c>),
    /// which gives the parameters exactly the gradient of the summed loss without recording the regulariser in the graph.
    /// The task loss is checked before the update and the weights after it (<see cref="DivergenceGuard"/>).
    /// </remarks>
    public (double Loss, double TaskLoss, double IsoScoreStar) Step(
        ClassifierNetwork network, ScalarSafeAdamW optimizer, IStarBatch batch, Tensor target, IsoScoreStarReference? c0)
    {
        using var scope = NewDisposeScope();
        var check = Guard(network);
        var (logits, points) = network.Forward(batch);
        var task = nn.functional.cross_entropy(logits, target);
        double taskLoss = task.item<float>();
        check.CheckLoss(taskLoss);
        double iso = double.NaN;
        Tensor? penaltyGradient = null;
        if (c0 is not null && points.shape[0] >= 2)
            (iso, penaltyGradient) = IsoScoreStarGradient.Compute(points, c0, options.Zeta, options.Lambda);
        optimizer.ZeroGrad();
        if (penaltyGradient is null) task.backward();
        else autograd.backward([task, points], [ones_like(task), penaltyGradient]);
        optimizer.Step();
        // The fused update checks every value it writes. Reading all the weights again (0.5 ms a fine-tuning step) is
        // needed on the first step — weights that get no gradient never change after it — and whenever the update could
        // not vouch for them (libtorch's operations on a GPU, or a value that is not finite, which the check then reports).
        if (!optimizer.LastStepFinite || !weightsChecked)
        {
            check.CheckWeights();
            weightsChecked = true;
        }
        double loss = double.IsNaN(iso) ? taskLoss : taskLoss + options.Lambda * (1 - iso);
        return (loss, taskLoss, iso);
    }

    private void Report(IStarEpochMetrics m)
    {
        channel.Info(MessageSensitivity.None,
            "I-STAR epoch {0}/{1}: loss {2:F4}, task loss {3:F4}, IsoScore* {4:F4}, validation accuracy {5:F4}",
            m.Epoch, options.Epochs, m.Loss, m.TaskLoss, m.IsoScoreStar, m.ValidationAccuracy);
        progress?.Checkpoint(m.Loss, m.TaskLoss, double.IsNaN(m.IsoScoreStar) ? null : m.IsoScoreStar,
            double.IsNaN(m.ValidationAccuracy) ? null : m.ValidationAccuracy, m.Epoch);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module network)
    {
        using var _ = no_grad();
        return network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void Restore(nn.Module network, Dictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, value) in network.state_dict())
            value.copy_(state[name]);
    }

    private static void DisposeAll(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
        state.Clear();
    }
}
