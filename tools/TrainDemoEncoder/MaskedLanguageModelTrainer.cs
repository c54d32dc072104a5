using System.Diagnostics;
using Microsoft.ML.Tokenizers;
using MlNetIso.Trainers.Encoders;
using static TorchSharp.torch;

namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>One point of the loss curve: mean masked-LM loss over the steps since the previous point (every LogEvery steps).</summary>
internal sealed record LossPoint(int Step, double Loss, double ElapsedSeconds);

/// <summary>
/// Masked-language-model pre-training (Devlin et al. 2019) of a <see cref="BertEncoder"/>: random batches of texts,
/// 15% masking with the 80/10/10 rule, cross-entropy on masked positions through a tied-decoder MLM head, AdamW with
/// linear warm-up and linear decay, gradient clipping at norm 1. Stops after the configured steps or when the
/// wall-clock budget runs out (whichever is first); the step count reached is reported.
/// </summary>
internal sealed class MaskedLanguageModelTrainer(TrainingOptions options, BertTokenizer tokenizer, List<string> vocab)
{
    public List<LossPoint> Curve { get; } = [];
    public int StepsDone { get; private set; }
    public double Seconds { get; private set; }

    public void Train(BertEncoder encoder, IReadOnlyList<string> texts, Action<BertEncoder, int> checkpoint)
    {
        var random = new Random(options.Seed);
        using var head = new MaskedLanguageModelHead(encoder);
        var parameters = encoder.parameters().Concat(head.parameters()).ToList();
        using var optimizer = optim.AdamW(parameters, options.LearningRate, 0.9, 0.999, 1e-6, options.WeightDecay);
        var specialIds = new HashSet<long>(WordPieceVocabularyTrainer.SpecialTokens.Select(s => (long)vocab.IndexOf(s)));
        int maskId = vocab.IndexOf("[MASK]");
        int firstRegular = WordPieceVocabularyTrainer.SpecialTokens.Length;
        int warmup = Math.Max(1, (int)(options.Steps * options.WarmupFraction));

        var order = Enumerable.Range(0, texts.Count).ToArray();
        int cursor = order.Length;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        encoder.train();
        head.train();
        for (int step = 1; step <= options.Steps; step++)
        {
            if (clock.Elapsed.TotalMinutes >= options.Minutes)
            {
                Console.WriteLine($"Wall-clock budget of {options.Minutes} min reached after {step - 1} steps.");
                break;
            }
            double lr = step <= warmup
                ? options.LearningRate * step / warmup
                : options.LearningRate * Math.Max(0.0, (double)(options.Steps - step) / (options.Steps - warmup));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            var batchTexts = new List<string>(options.BatchSize);
            for (int b = 0; b < options.BatchSize; b++)
            {
                if (cursor >= order.Length)
                {
                    random.Shuffle(order);
                    cursor = 0;
                }
                batchTexts.Add(texts[order[cursor++]]);
            }

            using (var scope = NewDisposeScope())
            {
                var batch = BertInputBatch.Create(tokenizer, batchTexts, options.MaxLength);
                var ids = (long[])batch.InputIds.Clone();
                var (positions, targets) = MaskedLanguageModelBatcher.Mask(
                    ids, batch.AttentionMask, maskId, firstRegular, vocab.Count, specialIds, random);
                long[] shape = [batch.BatchSize, batch.Length];
                var idsT = tensor(ids, shape);
                var maskT = tensor(batch.AttentionMask, shape);
                using var output = encoder.Forward(idsT, maskT);
                var flat = output.LastHiddenState.reshape(-1, encoder.Config.HiddenSize);
                var selected = flat.index_select(0, tensor(positions));
                var logits = head.Forward(selected);
                var loss = nn.functional.cross_entropy(logits, tensor(targets));
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
                lossSum += loss.item<float>();
                lossCount++;
            }

            StepsDone = step;
            if (step % options.LogEvery == 0 || step == options.Steps)
            {
                var point = new LossPoint(step, lossSum / lossCount, clock.Elapsed.TotalSeconds);
                Curve.Add(point);
                Console.WriteLine($"step {point.Step,5}  loss {point.Loss:F4}  lr {lr:E2}  {point.ElapsedSeconds,7:F0}s");
                lossSum = 0;
                lossCount = 0;
            }
            if (options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0)
                checkpoint(encoder, step);
        }
        if (lossCount > 0) Curve.Add(new LossPoint(StepsDone, lossSum / lossCount, clock.Elapsed.TotalSeconds));
        Seconds = clock.Elapsed.TotalSeconds;
        encoder.eval();
    }
}
