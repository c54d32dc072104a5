using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using MlNetIso.Extensions.AI;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Service.Classification;

/// <summary>
/// The sentiment classifier behind <c>POST /classify</c>: the generator's TempScale embedding followed by a binary
/// head-only I-STAR classifier (Rudman &amp; Eickhoff, arXiv 2305.19358), trained on Pang &amp; Lee's sentence polarity data
/// (bundled, CC BY 4.0) and saved with <c>SavePackaged</c>. <see cref="EnsureTrained"/> trains it at the first start, when
/// the file is absent; the engine pool then serves it and reloads it whenever the file is replaced.
/// </summary>
public sealed class SentimentModel(TempScaleEmbeddingGenerator generator, IOptions<ServiceOptions> options, IHostEnvironment environment,
    ILogger<SentimentModel> logger)
{
    /// <summary>Full path of the model file.</summary>
    public string ModelPath { get; } = Path.GetFullPath(options.Value.ClassifierPath, environment.ContentRootPath);

    /// <summary>Trains and saves the model unless the file exists.</summary>
    public void EnsureTrained()
    {
        if (File.Exists(ModelPath)) return;
        var settings = options.Value;
        var rows = ReadTrainingRows(Path.GetFullPath(settings.DataFolder, AppContext.BaseDirectory), settings.TrainingExamples);
        logger.LogInformation("Training the I-STAR sentiment model on {Rows} sentences with {Model} embeddings.", rows.Count, generator.ModelId);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Text.ApplyTempScaleEmbedding("Features", "Text", generator.ToTransformOptions())
            .Append(ml.BinaryClassification.Trainers.IStar(new IStarOptions
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                HiddenSize = 64,
                Epochs = settings.TrainingEpochs,
                BatchSize = 32,
                LearningRate = 2e-3,
                Seed = 1,
            }));
        var model = pipeline.Fit(data);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
            var temp = ModelPath + ".training";
            ml.Model.SavePackaged(model, data.Schema, temp);
            File.Move(temp, ModelPath, overwrite: true);
            logger.LogInformation("Saved the sentiment model to {Path} (last epoch: {Metrics}).", ModelPath, model.LastTransformer.TrainingHistory[^1]);
        }
        finally
        {
            foreach (var step in PackagedModelOperations.Flatten(model).OfType<IDisposable>()) step.Dispose();
        }
    }

    /// <summary>Half positive, half negative sentences, interleaved, from the bundled rt-polarity files.</summary>
    private static List<SentimentTrainingRow> ReadTrainingRows(string dataFolder, int count)
    {
        string[] Read(string name)
        {
            var path = Path.Combine(dataFolder, "rt-sentence-polarity-v1", name);
            if (!File.Exists(path)) throw new FileNotFoundException($"The sentiment training file '{path}' is missing.", path);
            return File.ReadLines(path, Encoding.UTF8).Where(l => l.Trim().Length > 0).Take((count + 1) / 2).ToArray();
        }
        var positive = Read("rt-polarity.pos");
        var negative = Read("rt-polarity.neg");
        var rows = new List<SentimentTrainingRow>(positive.Length + negative.Length);
        for (var i = 0; i < Math.Max(positive.Length, negative.Length); i++)
        {
            if (i < positive.Length) rows.Add(new SentimentTrainingRow { Text = positive[i], Label = true });
            if (i < negative.Length) rows.Add(new SentimentTrainingRow { Text = negative[i], Label = false });
        }
        return rows;
    }
}
