import SecretsLintCLI

CommandLineEntry.main(CommandLine.arguments)
