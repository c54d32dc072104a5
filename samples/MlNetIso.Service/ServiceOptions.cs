namespace MlNetIso.Service;

/// <summary>The service's own settings (section <c>Service</c> of appsettings.json, or <c>--Service:Name=value</c>).</summary>
public sealed class ServiceOptions
{
    /// <summary>The bundled data folder (copied beside the binaries from the repository's data/); relative paths are under the app's folder.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>The SQLite database holding the search corpus and its vectors; relative paths are under the content root.</summary>
    public string DatabasePath { get; set; } = "App_Data/corpus.db";

    /// <summary>The I-STAR sentiment model (SavePackaged); trained at the first start when absent. Relative paths are under the content root.</summary>
    public string ClassifierPath { get; set; } = "App_Data/sentiment-istar.zip";

    /// <summary>How many plot sentences of the subjectivity data set (at most 5,000) form the search corpus.</summary>
    public int CorpusDocuments { get; set; } = 5000;

    /// <summary>Sentiment sentences (half positive, half negative) the classifier is trained on at the first start.</summary>
    public int TrainingExamples { get; set; } = 4000;

    /// <summary>Training epochs of the classifier.</summary>
    public int TrainingEpochs { get; set; } = 8;

    /// <summary>Most texts one /embed request may carry.</summary>
    public int MaxTextsPerRequest { get; set; } = 64;

    /// <summary>Most characters of one text.</summary>
    public int MaxTextLength { get; set; } = 10_000;
}
