import ArgumentParser
import SecretsLint
#if canImport(Glibc)
import Glibc
#endif

@main
struct DjlintSecrets: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "djlint-secrets",
        abstract: "Find and fix hardcoded secrets and DEBUG misuse in Django settings.",
        version: Version.current,
        subcommands: [Check.self, RuleCommand.self, GenerateKey.self],
        defaultSubcommand: Check.self)
}

final class StandardStreams: Console {
    func out(_ text: String) { fputs(text, stdout) }
    func outBytes(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stdout) } }
    func err(_ text: String) {
        fflush(stdout)
        fputs(text, stderr)
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

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

    @Option(help: "Output format: text, json, sarif or github.")
    var format: OutputFormat = .text

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

    @Flag(help: "Print findings only, no summary.")
    var quiet = false

    @Option(help: "Colour: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if rotate && keepKey { throw ValidationError("--rotate and --keep-key exclude each other") }
    }

    func run() throws {
        var settings = LintSettings()
        let targets = paths.isEmpty ? ["."] : paths
        let start = stdinFilename.map(SecretsLint.FileSystem.parentDirectory)
            ?? (targets == ["-"] ? "." : (SecretsLint.FileSystem.isDirectory(targets[0]) ? targets[0] : SecretsLint.FileSystem.parentDirectory(of: targets[0])))
        do {
            if let config {
                try ConfigurationFile.load(config, into: &settings, requireSection: true)
            } else if let found = ConfigurationFile.find(from: start) {
                try ConfigurationFile.load(found, into: &settings)
            }
        } catch let error as ConfigurationError {
            StandardStreams().err("djlint-secrets: \(error)\n")
            throw ExitCode(2)
        }
        func codes(_ list: String?) -> Set<String>? {
            list.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: " ").uppercased() }.filter { !$0.isEmpty }) }
        }
        if let select = codes(select) { settings.select = select }
        if let ignore = codes(ignore) { settings.ignore = ignore }
        for code in (settings.select ?? []).union(settings.ignore) where RuleRegistry.description(for: code) == nil {
            throw ValidationError("unknown rule code \(code)")
        }
        var options = CheckOptions()
        options.paths = targets
        options.fix = fix
        options.diff = diff
        options.history = history
        options.format = format
        options.stdinFilename = stdinFilename
        options.keyPolicy = rotate ? .rotate : keepKey ? .keep : .automatic
        options.exitZero = exitZero
        options.quiet = quiet
        switch color {
        case .always: options.color = true
        case .never: options.color = false
        case .auto: options.color = isatty(1) == 1 && getenv("NO_COLOR") == nil && format == .text
        }
        let runner = CheckRunner(options: options, settings: settings, console: StandardStreams())
        let status = runner.run(standardInput: readStandardInput)
        fflush(stdout)
        if status != 0 { throw ExitCode(status) }
    }
}

func readStandardInput() -> [UInt8] {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = read(0, &buffer, buffer.count)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return bytes
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

extension String {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
