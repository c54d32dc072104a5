return MlNetIso.Cli.CliApp.Run(args, Spectre.Console.AnsiConsole.Console);
