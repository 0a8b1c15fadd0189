import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SecretsLint
import SecretsLintServer

/// The command line as swift-argument-parser reads it: help, version, usage errors, every command.
public struct DjlintSecrets: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "djlint-secrets",
        abstract: "Find and fix hardcoded secrets and DEBUG misuse in Django settings.",
        version: Version.current,
        subcommands: [Check.self, RuleCommand.self, GenerateKey.self, Server.self, Rotate.self, EnvCommand.self],
        defaultSubcommand: Check.self)

    public init() {}
}

extension ColorChoice: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check settings files; with --fix, rewrite them to read the environment.")

    @Argument(help: "Files or folders to check; - reads one file from standard input.")
    var paths: [String] = []

    @Flag(help: "Rewrite settings to read the environment, store the values in .env and git-ignore it.")
    var fix = false

    @Flag(help: "Print what --fix would change (secrets masked) and write nothing.")
    var diff = false

    @Flag(help: "Also list every SECRET_KEY literal ever committed to a Python file of the git history (DJS012).")
    var history = false

    @Flag(help: "Silence every remaining finding with a '# noqa: CODE' comment at its statement's first line.")
    var addNoqa = false

    @Option(help: "Output format: text, json, sarif, github or gitlab.")
    var format: OutputFormat = .text

    @Option(help: "Write the report to this file instead of standard output; the summary stays on the terminal.")
    var outputFile: String?

    @Option(help: "Only these rule codes (comma-separated).")
    var select: String?

    @Option(help: "Skip these rule codes (comma-separated).")
    var ignore: String?

    @Option(help: "Read settings from this TOML file instead of the nearest pyproject.toml.")
    var config: String?

    @Option(help: "The path to report (and to locate the project) for standard input.")
    var stdinFilename: String?

    @Flag(help: "Always replace a hardcoded SECRET_KEY with a new key.")
    var rotate = false

    @Flag(help: "Always move a hardcoded SECRET_KEY as it is (not recommended for a key that leaked).")
    var keepKey = false

    @Flag(help: "Exit 0 even when findings remain.")
    var exitZero = false

    @Flag(name: [.short, .long], help: "Print findings only, no summary.")
    var quiet = false

    @Option(help: "Colour: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if rotate && keepKey { throw ValidationError("--rotate and --keep-key exclude each other") }
        if let problem = CheckArguments.conflict(addNoqa: addNoqa, fix: fix, diff: diff, paths: paths) {
            throw ValidationError(problem)
        }
    }

    var arguments: CheckArguments {
        var arguments = CheckArguments()
        arguments.paths = paths
        arguments.fix = fix
        arguments.diff = diff
        arguments.history = history
        arguments.format = format
        arguments.select = select
        arguments.ignore = ignore
        arguments.config = config
        arguments.stdinFilename = stdinFilename
        arguments.rotate = rotate
        arguments.keepKey = keepKey
        arguments.exitZero = exitZero
        arguments.quiet = quiet
        arguments.color = color
        arguments.addNoqa = addNoqa
        arguments.outputFile = outputFile
        return arguments
    }

    func run() throws {
        let status: Int32
        do { status = try arguments.run() } catch let error as CheckUsageError {
            throw ValidationError(error.description)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct RuleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rule", abstract: "Show a rule's documentation, or list the rules.")

    @Argument(help: "A rule code such as DJS001.")
    var code: String?

    @Flag(help: "Print the rule table as Markdown (for the README).")
    var markdown = false

    func run() throws {
        if markdown {
            print(RuleDocumentation.markdownTable(), terminator: "")
            return
        }
        guard let code else {
            print(RuleDocumentation.list())
            return
        }
        guard let description = RuleRegistry.description(for: code) else {
            throw ValidationError("unknown rule code \(code)")
        }
        print(RuleDocumentation.render(description))
    }
}

struct GenerateKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate-key", abstract: "Print one new SECRET_KEY (64 characters, [A-Za-z0-9]).")

    func run() throws {
        print(KeyGenerator.newKey())
    }
}

struct Server: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Run the language server (LSP 3.17) over standard input and output.")

    func run() throws {
        let status = ServerMain.run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// The program: the quick reader for the usual `check` command lines, swift-argument-parser for the rest.
public enum CommandLineEntry {
    /// SPEC "Command line": a usage error exits 2, as ruff's do (swift-argument-parser's own is 64).
    static let usageErrorStatus: Int32 = 2

    public static func main(_ arguments: [String]) -> Never {
        let arguments = Array(arguments.dropFirst())
        if let check = QuickCheckParser.parse(arguments), let status = try? check.run() {
            exit(status)
        }
        do {
            var command = try parse(arguments)
            try command.run()
            exit(0)
        } catch {
            let status = exitStatus(for: error)
            guard status == usageErrorStatus else { DjlintSecrets.exit(withError: error) }
            fputs(DjlintSecrets.fullMessage(for: error) + "\n", stderr)
            exit(status)
        }
    }

    /// The command swift-argument-parser reads from `arguments` (without the program name). A first
    /// word that names no command and no existing file is a mistyped command, not a path to check.
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        if let first = arguments.first, QuickCheckParser.isUnknownCommand(first) {
            let commands = QuickCheckParser.subcommandNames.filter { $0 != "help" }.joined(separator: ", ")
            throw ValidationError("unknown command '\(first)' (commands: \(commands)); to check a path of that name, write 'check \(first)'")
        }
        return try DjlintSecrets.parseAsRoot(arguments)
    }

    /// The exit status for an error that ended the reading or the run.
    static func exitStatus(for error: Error) -> Int32 {
        let code = DjlintSecrets.exitCode(for: error)
        return code == .validationFailure ? usageErrorStatus : code.rawValue
    }
}
