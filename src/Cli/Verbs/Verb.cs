using System.CommandLine;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// One verb of the tool (<c>mlnetiso VERB [options]</c>). A verb is one file: a sealed subclass with a public
/// parameterless constructor, found by <see cref="VerbCatalog"/> — nothing else needs editing to add one. Options are
/// created per instance (the tool builds a fresh command tree per run).
/// </summary>
internal abstract class Verb
{
    /// <summary>The verb as typed on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the verb list of <c>mlnetiso --help</c>; the first sentence of the verb's own help.</summary>
    public abstract string Summary { get; }

    /// <summary>More about the verb, shown in its own <c>--help</c> after <see cref="Summary"/>.</summary>
    public virtual string? Details => null;

    /// <summary>Position in the verb list (lower first).</summary>
    public abstract int Order { get; }

    /// <summary>Every option of the verb, in the order its help lists them.</summary>
    public abstract IEnumerable<Option> Options { get; }

    /// <summary>Runs the verb; returns its exit code (<see cref="ExitCodes"/>). Errors are thrown, not printed.</summary>
    public abstract int Run(ParseResult parse, VerbContext context);

    /// <summary>The System.CommandLine command, with its options and an action that runs <see cref="Run"/>.</summary>
    public Command CreateCommand(Func<ParseResult, VerbContext> context)
    {
        var command = new Command(Name, Details is null ? Summary : Summary + Environment.NewLine + Details);
        foreach (var option in Options) command.Options.Add(option);
        command.SetAction(parse => Run(parse, context(parse)));
        return command;
    }
}
