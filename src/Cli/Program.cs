using MlNetIso.Cli;

using var interrupt = new InterruptSignal();
return CliApp.Run(args, CliConsole.Standard(), interrupt.Token);
