using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Trains an I-STAR-regularised classifier (Rudman &amp; Eickhoff, arXiv 2305.19358): loss
/// <c>CE + λ·(1 − IsoScore*(points; C0, ζ))</c> with the trace-form IsoScore* and a C0 bank rebuilt every epoch.
/// Create it with <c>mlContext.MulticlassClassification.Trainers.IStar(...)</c>. Like Microsoft.ML.TorchSharp's trainers it
/// is a plain <see cref="IEstimator{TTransformer}"/> (ML.NET's trainer base types cannot be built outside ML.NET).
/// </summary>
public sealed class IStarEstimator : IEstimator<IStarTransformer>
{
    private readonly IHost host;
    private readonly IStarOptions options;
    private readonly IStarInput input;
    private readonly IStarModelSpec prototype;

    internal IStarEstimator(IHostEnvironment environment, IStarOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        IStarOptionsValidator.Validate(options);
        host = environment.Register("IStar");
        this.options = IStarOptionsValidator.Snapshot(options);
        prototype = IStarNetworkFactory.Prototype(this.options);
        input = IStarInputFactory.Create(prototype);
    }

    /// <summary>Checks the input shape and returns it with the Score and PredictedLabel columns added.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = inputSchema.FirstOrDefault(c => c.Name == options.LabelColumnName);
        if (label.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{options.LabelColumnName}' not found in the input schema.");
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Label column '{options.LabelColumnName}' must be a scalar key column (use MapValueToKey), got {label.ItemType}.");
        if (!inputSchema.Any(c => c.Name == input.ColumnName))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{input.ColumnName}' not found in the input schema.");
        return SchemaShapeColumns.WithClassifierOutputs(inputSchema, options.ScoreColumnName, options.PredictedLabelColumnName);
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted model.</summary>
    public IStarTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var channel = host.Start("Fit");
        using var progress = host.StartProgressChannel("I-STAR training");
        progress.SetHeader(new ProgressHeader(["Loss", "TaskLoss", "IsoScoreStar", "ValidationAccuracy"], ["Epoch"]), _ => { });

        var labels = IStarLabels.FromSchema(input.Schema, options.LabelColumnName);
        this.input.CheckSchema(input.Schema);
        var trainLabels = labels.ReadIndices(input, options.LabelColumnName, "training data");
        if (trainLabels.Distinct().Count() < 2)
            throw new InvalidOperationException(
                $"Label column '{options.LabelColumnName}' of the training data holds a single class ('{labels.ClassNames[trainLabels[0]]}'); a classifier needs at least 2.");
        var train = this.input.ReadExamples(input, "training data");

        IStarExamples? validation = null;
        int[]? validationLabels = null;
        if (options.ValidationSet is { } validationSet)
        {
            validationLabels = labels.ReadIndices(validationSet, options.LabelColumnName, "validation set");
            validation = this.input.ReadExamples(validationSet, "validation set");
        }

        var device = IStarDevice.Resolve(options.Device);
        if (options.NumberOfThreads is int threads) torch.set_num_threads(threads);
        int seed = options.Seed ?? host.Rand.Next();
        channel.Info(MessageSensitivity.None, "I-STAR: {0} rows, {1} classes, λ = {2}, ζ = {3}, seed {4}, device {5}.",
            train.Count, labels.Count, options.Lambda, options.Zeta, seed, device.type);

        var spec = IStarNetworkFactory.Describe(prototype, input.Schema, labels);
        var network = IStarNetworkFactory.CreateForTraining(spec, options.EncoderPath, seed, device);
        try
        {
            var loop = new IStarTrainingLoop(options, device, channel, progress);
            var history = loop.Train(network, train, trainLabels, validation, validationLabels, seed);
            return new IStarTransformer(network, spec, this.input, device, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
