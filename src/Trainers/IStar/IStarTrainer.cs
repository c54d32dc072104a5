using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetIso.Trainers.IStar.Inputs;
using MlNetIso.Trainers.IStar.Model;
using MlNetIso.Trainers.IStar.Training;
using MlNetIso.Trainers.Native;
using MlNetIso.Transforms.Encoders;
using TorchSharp;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Trains an I-STAR-regularised classifier (Rudman &amp; Eickhoff, arXiv 2305.19358): loss
/// <c>CE + λ·(1 − IsoScore*(points; C0, ζ))</c> with the trace-form IsoScore* and a C0 bank rebuilt every epoch.
/// Create it with <c>mlContext.MulticlassClassification.Trainers.IStar(...)</c> (key label, K classes) or
/// <c>mlContext.BinaryClassification.Trainers.IStar(...)</c> (Boolean label; the same network with K = 2, whose
/// cross-entropy is the logistic loss of the margin <c>logit₁ − logit₀</c>). Like Microsoft.ML.TorchSharp's trainers it
/// is a plain <see cref="IEstimator{TTransformer}"/> (ML.NET's trainer base types cannot be built outside ML.NET).
/// </summary>
public sealed class IStarTrainer : IEstimator<IStarTransformer>
{
    private readonly IHost host;
    private readonly IStarOptions options;
    private readonly NetworkInput input;
    private readonly IStarModelSpec prototype;
    private readonly IStarTask task;
    private readonly EncoderFolder? encoder;

    internal IStarTrainer(IHostEnvironment environment, IStarOptions options, IStarTask task)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        IStarOptionsValidator.Validate(options, task);
        host = environment.Register("IStar");
        this.task = task;
        this.options = IStarOptionsValidator.Snapshot(options);
        encoder = ClassifierNetworkFactory.OpenEncoder(this.options);
        prototype = ClassifierNetworkFactory.Prototype(this.options, task, encoder);
        input = NetworkInputFactory.Create(prototype);
    }

    /// <summary>
    /// Checks the label and input columns and returns the input shape with the output columns added: Score and
    /// PredictedLabel (multiclass), or Score, Probability and PredictedLabel (binary).
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        task.Labels.CheckShape(inputSchema, options.LabelColumnName);
        input.CheckShape(inputSchema);
        return task.WithOutputs(inputSchema, options);
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted model.</summary>
    public IStarTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = ReadTrainingData(input);

        TrainingExamples? validation = null;
        int[]? validationLabels = null;
        if (options.ValidationSet is { } validationSet)
        {
            validationLabels = task.Labels.ReadIndices(validationSet, options.LabelColumnName, data.Labels, "validation set");
            validation = this.input.ReadExamples(validationSet, "validation set");
        }
        return Fit(data, data.Examples, data.Indices, validation, validationLabels);
    }

    /// <summary>The options this trainer trains with (its own copy).</summary>
    internal IStarOptions Options => options;

    /// <summary>
    /// Reads the classes, every row's class index and every row's network input of <paramref name="input"/>, checking the
    /// label and input columns (errors name the column and the row); fails on a single class.
    /// </summary>
    internal IStarTrainingData ReadTrainingData(IDataView input)
    {
        TorchRuntime.EnsureAvailable();
        var labels = task.Labels.ReadClasses(input.Schema, options.LabelColumnName);
        this.input.CheckSchema(input.Schema);
        var indices = task.Labels.ReadIndices(input, options.LabelColumnName, labels, "training data");
        if (indices.Distinct().Count() < 2)
            throw new InvalidOperationException(task.Labels.SingleClassMessage(options.LabelColumnName, labels.ClassNames[indices[0]]));
        return new IStarTrainingData(input.Schema, labels, indices, this.input.ReadExamples(input, "training data"));
    }

    /// <summary>
    /// Trains on <paramref name="train"/> (rows read from <paramref name="data"/>, possibly a subset of them, with their
    /// class indices <paramref name="trainLabels"/>) and returns the fitted model.
    /// </summary>
    internal IStarTransformer Fit(IStarTrainingData data, TrainingExamples train, int[] trainLabels,
        TrainingExamples? validation = null, int[]? validationLabels = null)
    {
        using var channel = host.Start("Fit");
        using var progress = host.StartProgressChannel("I-STAR training");
        progress.SetHeader(new ProgressHeader(["Loss", "TaskLoss", "IsoScoreStar", "ValidationAccuracy"], ["Epoch"]), _ => { });
        if (trainLabels.Distinct().Count() < 2)
            throw new InvalidOperationException(task.Labels.SingleClassMessage(options.LabelColumnName, data.Labels.ClassNames[trainLabels[0]]));

        var device = IStarDevice.Resolve(options.Device);
        using var threads = TorchThreads.Use(TorchThreads.Resolve(options));
        int seed = options.Seed ?? host.Rand.Next();
        channel.Info(MessageSensitivity.None, "I-STAR ({0}): {1} rows, {2} classes, λ = {3}, ζ = {4}, seed {5}, device {6}, {7} TorchSharp thread(s).",
            task.Name, train.Count, data.Labels.Count, options.Lambda, options.Zeta, seed, device.type, torch.get_num_threads());

        var spec = ClassifierNetworkFactory.Describe(prototype, data.Schema, data.Labels);
        var network = ClassifierNetworkFactory.CreateForTraining(spec, encoder, seed, device);
        try
        {
            var loop = new IStarTrainingLoop(options, device, channel, progress);
            var history = loop.Train(network, train, trainLabels, validation, validationLabels, seed);
            return new IStarTransformer(network, spec, task, this.input, device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
