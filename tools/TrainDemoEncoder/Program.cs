using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.IO;
using MlNetIso.Tools.TrainDemoEncoder;
using MlNetIso.Trainers.Encoders;
using MlNetIso.Transforms.Encoders;
using TorchSharp;

// Trains the bundled demo encoder (models/mlnetiso-mini): WordPiece vocabulary, masked-LM pre-training, linear
// sentiment probe against a random encoder of the same shape, ONNX export, model card.
// Usage (from the repository root):
//   dotnet run -c Release --project tools/TrainDemoEncoder -- [--minutes N] [--steps N] [--out dir] [--data dir]
//       [--vocab N] [--hidden N] [--layers N] [--heads N] [--intermediate N] [--max-positions N] [--max-length N]
//       [--batch N] [--lr X] [--seed N] [--threads N] [--checkpoint-every N] [--log-every N] [--no-distributional-init] [--init-std X] [--train-only] [--skip-training] [--card-only]
// --skip-training reuses the vocabulary, weights and training-log.json already in --out and redoes the probe,
// the ONNX export and the model card; --card-only only rewrites README.md from training-log.json.
var options = TrainingOptions.Parse(args);
var root = FindRepoRoot();
options = options with
{
    DataDir = Path.GetFullPath(Path.Combine(root, options.DataDir)),
    OutDir = Path.GetFullPath(Path.Combine(root, options.OutDir)),
};
Directory.CreateDirectory(options.OutDir);
torch.set_num_threads(options.Threads);
var vocabPath = Path.Combine(options.OutDir, EncoderFolder.VocabularyFileName);
var logPath = Path.Combine(options.OutDir, "training-log.json");
if (options.CardOnly)
{
    var saved = TrainingReport.Load(logPath);
    AtomicFile.WriteAllText(Path.Combine(options.OutDir, "README.md"),
                      ModelCardWriter.Write(saved, EncoderFolder.Open(options.OutDir).LoadBertConfig()));
    Console.WriteLine("Model card rewritten from training-log.json (--card-only).");
    return 0;
}
var corpus = DemoCorpus.Load(options.DataDir);
Console.WriteLine($"Pre-training texts: {corpus.PretrainingTexts.Count}; probe train/test: {corpus.SentimentTrain.Count}/{corpus.SentimentTest.Count}");

TrainingReport report;
BertEncoder encoder;
if (!options.SkipTraining)
{
    var vocab = WordPieceVocabularyTrainer.Train(corpus.PretrainingTexts, options.VocabSize);
    EncoderFolder.Write(options.OutDir, new EncoderFolderContent
    {
        Vocabulary = Encoding.UTF8.GetBytes(string.Join('\n', vocab) + "\n"),
    });
    Console.WriteLine($"Vocabulary: {vocab.Count} pieces -> {vocabPath}");
    var tokenizer = BertTokenizer.Create(vocabPath, new BertOptions { LowerCaseBeforeTokenization = true });
    var config = new BertConfig
    {
        VocabSize = vocab.Count,
        HiddenSize = options.HiddenSize,
        NumHiddenLayers = options.Layers,
        NumAttentionHeads = options.Heads,
        IntermediateSize = options.IntermediateSize,
        MaxPositionEmbeddings = options.MaxPositions,
        LayerNormEps = 1e-12,
    };
    torch.manual_seed(options.Seed);
    encoder = new BertEncoder(config);
    if (options.DistributionalInit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int covered = DistributionalEmbeddingInit.Apply(encoder, tokenizer, corpus.PretrainingTexts, 5, options.InitStd,
                                                        options.Seed, WordPieceVocabularyTrainer.SpecialTokens.Length);
        Console.WriteLine($"PPMI-SVD word-embedding initialisation: {covered} pieces, {clock.Elapsed.TotalSeconds:F0} s");
    }
    var trainer = new MaskedLanguageModelTrainer(options, tokenizer, vocab);
    TrainingReport Snapshot() => new()
    {
        Options = options,
        StepsDone = trainer.StepsDone,
        TrainingSeconds = trainer.Seconds,
        LossCurve = trainer.Curve,
        SourceCounts = corpus.SourceCounts.ToDictionary(),
        PretrainingTexts = corpus.PretrainingTexts.Count,
        Parameters = encoder.parameters().Sum(p => p.numel()),
        Hardware = TrainingReport.DescribeHardware(),
        FinishedUtc = DateTime.UtcNow.ToString("u"),
    };
    trainer.Train(encoder, corpus.PretrainingTexts, (e, step) =>
    {
        BertCheckpoint.SaveFolder(e, options.OutDir);
        Snapshot().Save(logPath);
        Console.WriteLine($"checkpoint at step {step} -> {options.OutDir}");
    });
    BertCheckpoint.SaveFolder(encoder, options.OutDir);
    report = Snapshot();
    report.Save(logPath);
    if (options.TrainOnly)
    {
        Console.WriteLine($"Training done ({report.StepsDone} steps); probe, ONNX export and card skipped (--train-only).");
        encoder.Dispose();
        return 0;
    }
}
else
{
    report = TrainingReport.Load(logPath);
    encoder = BertCheckpoint.LoadFolder(options.OutDir);
}

// Linear sentiment probe: trained encoder vs a randomly initialised encoder of the same shape.
var probeTokenizer = BertTokenizer.Create(vocabPath, new BertOptions { LowerCaseBeforeTokenization = true });
double Probe(BertEncoder e)
{
    var trainX = SentenceEmbedder.Embed(e, probeTokenizer, corpus.SentimentTrain.Select(s => s.Text).ToList(), maxLength: 128);
    var testX = SentenceEmbedder.Embed(e, probeTokenizer, corpus.SentimentTest.Select(s => s.Text).ToList(), maxLength: 128);
    return SentimentProbe.Accuracy(trainX, corpus.SentimentTrain.Select(s => s.Positive).ToList(),
                                   testX, corpus.SentimentTest.Select(s => s.Positive).ToList());
}
double trainedAcc = Probe(encoder);
torch.manual_seed(options.Seed + 1);
using (var random = new BertEncoder(encoder.Config))
{
    double randomAcc = Probe(random);
    Console.WriteLine($"Probe accuracy on the held-out rt-polarity split: trained {trainedAcc:P2}, random {randomAcc:P2}");
    report = report with
    {
        ProbeAccuracyTrained = trainedAcc,
        ProbeAccuracyRandom = randomAcc,
        ProbeTrainRows = corpus.SentimentTrain.Count,
        ProbeTestRows = corpus.SentimentTest.Count,
    };
}

// ONNX export through BertOnnxWriter, checked against TorchSharp on a padded batch.
var onnx = BertOnnxWriter.Write(encoder.Config, BertCheckpoint.ToNamedTensors(encoder));
EncoderFolder.Write(options.OutDir, new EncoderFolderContent
{
    OnnxModel = onnx,
    Tokenizer = new TokenizerConfig
    {
        LowerCase = true,
        ModelMaxLength = encoder.Config.MaxPositionEmbeddings,
        TokenizerClass = "BertTokenizer",
    },
});
report = report with { OnnxMaxAbsDiff = OnnxAgreement(encoder, probeTokenizer, onnx, corpus.SentimentTest.Take(16).Select(s => s.Text).ToList()) };
Console.WriteLine($"ONNX vs TorchSharp max |diff| of last_hidden_state: {report.OnnxMaxAbsDiff:E2}");
report.Save(logPath);
AtomicFile.WriteAllText(Path.Combine(options.OutDir, "README.md"), ModelCardWriter.Write(report, encoder.Config));
Console.WriteLine($"Model folder written: {options.OutDir}");
encoder.Dispose();
return 0;

static double OnnxAgreement(BertEncoder encoder, BertTokenizer tokenizer, byte[] onnx, List<string> texts)
{
    var batch = BertInputBatch.Create(tokenizer, texts, 128);
    float[] torchOut;
    encoder.eval();
    using (torch.no_grad())
    {
        var (ids, mask, types) = batch.ToTensors();
        using var output = encoder.Forward(ids, mask, types);
        torchOut = output.LastHiddenState.contiguous().data<float>().ToArray();
        ids.Dispose(); mask.Dispose(); types.Dispose();
    }
    using var session = new InferenceSession(onnx);
    long[] shape = [batch.BatchSize, batch.Length];
    using var i1 = OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape);
    using var i2 = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
    using var i3 = OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape);
    using var run = new RunOptions();
    using var results = session.Run(run, ["input_ids", "attention_mask", "token_type_ids"], [i1, i2, i3], ["last_hidden_state"]);
    var ortOut = results[0].GetTensorDataAsSpan<float>();
    double max = 0;
    for (int i = 0; i < torchOut.Length; i++) max = Math.Max(max, Math.Abs(torchOut[i] - ortOut[i]));
    return max;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlNetIso.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository (MlNetIso.sln not found above the current folder).");
}
