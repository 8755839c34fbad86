using System.CommandLine;
using Luna.Cli;

return LunaCli.Run(args, Console.Out, Console.Error);
