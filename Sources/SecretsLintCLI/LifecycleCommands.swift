import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SecretsLint

/// The configuration for a command run on one project path, as `check` finds it.
func loadSettings(forPath path: String, config: String?) throws -> LintSettings {
    var settings = LintSettings()
    let start = FileSystem.isDirectory(path) ? path : FileSystem.parentDirectory(of: path)
    do {
        if let config {
            try ConfigurationFile.load(config, into: &settings, requireSection: true)
        } else if let found = ConfigurationFile.find(from: start) {
            try ConfigurationFile.load(found, into: &settings)
        }
    } catch let error as ConfigurationError {
        fputs("djlint-secrets: \(error)\n", stderr)
        throw ExitCode(2)
    }
    return settings
}

struct Rotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace the project's SECRET_KEY in .env; on Django 4.1+ keep the old one in the fallbacks unless it leaked.")

    @Argument(help: "The project folder (or its settings file).")
    var path: String = "."

    @Flag(help: "The current key leaked: do not keep it as a fallback.")
    var leaked = false

    @Flag(help: "End a transition: empty the fallbacks variable (the key stays).")
    var dropFallbacks = false

    @Flag(help: "Say what would change and write nothing.")
    var dryRun = false

    @Option(help: "Read settings from this TOML file instead of the nearest pyproject.toml.")
    var config: String?

    func validate() throws {
        if leaked && dropFallbacks { throw ValidationError("--leaked and --drop-fallbacks exclude each other: --leaked rotates the key, --drop-fallbacks keeps it") }
        guard FileSystem.exists(path) else { throw ValidationError("\(path): no such file or folder") }
    }

    func run() throws {
        let settings = try loadSettings(forPath: path, config: config)
        var options = RotationOptions()
        options.leaked = leaked
        options.dropFallbacks = dropFallbacks
        options.dryRun = dryRun
        let session = FixSession(settings: settings, keyPolicy: .rotate, warn: { fputs("djlint-secrets: \($0)\n", stderr) })
        var rotation = KeyRotation(settings: settings, session: session, options: options)
        let status = rotation.run(path: path)
        for line in rotation.lines {
            if line.hasPrefix("error:") || line.hasPrefix("warning:") {
                fflush(stdout)
                fputs("djlint-secrets: \(line)\n", stderr)
            } else {
                print(line)
            }
        }
        fflush(stdout)
        if status != 0 { throw ExitCode(status) }
    }
}
