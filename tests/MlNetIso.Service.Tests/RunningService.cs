namespace MlNetIso.Service.Tests;

/// <summary>
/// One service process for the test class: the demo encoder mlnetiso-mini, a 500-sentence corpus and a small I-STAR
/// classifier trained at its first start, all in a temporary folder (database and model file included).
/// </summary>
public sealed class RunningService : IDisposable
{
    public RunningService()
    {
        Folder = TestPaths.NewTempDir();
        var tfm = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var assembly = ServiceProcess.BuiltAssembly(TestPaths.RepoRoot, tfm.Parent!.Name);
        Process = ServiceProcess.Start(assembly, Folder, TimeSpan.FromMinutes(4),
            "--Embeddings:Model=mlnetiso-mini",
            $"--Embeddings:CacheFolder={Path.Combine(Folder, "models")}",
            $"--Service:DatabasePath={Path.Combine(Folder, "corpus.db")}",
            $"--Service:ClassifierPath={Path.Combine(Folder, "sentiment.zip")}",
            "--Service:CorpusDocuments=500",
            "--Service:TrainingExamples=600",
            "--Service:TrainingEpochs=3");
        Client = new HttpClient { BaseAddress = Process.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string Folder { get; }

    public ServiceProcess Process { get; }

    public HttpClient Client { get; }

    public void Dispose()
    {
        // A service that died during the tests leaves its output for the failure report.
        if (Process.HasExited) File.WriteAllText(Path.Combine(Path.GetTempPath(), $"mlnetiso-service-{Process.Id}.log"), Process.Log);
        Client.Dispose();
        Process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
