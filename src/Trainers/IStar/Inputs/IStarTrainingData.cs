using Microsoft.ML;
using MlNetIso.Trainers.IStar.Labels;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>
/// Training data as the trainer reads it once: the schema it came with, the classes, each row's class index and each
/// row's network input.
/// </summary>
internal sealed record IStarTrainingData(DataViewSchema Schema, IStarLabels Labels, int[] Indices, TrainingExamples Examples);
