import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax
import SecretsLint

/// The project a lifecycle command works on, and its configuration as `check` finds it.
struct ProjectOptions: ParsableArguments {
    @Argument(help: "The project folder (or its settings file).")
    var path: String = "."

    @Option(help: "Read settings from this TOML file instead of the nearest pyproject.toml.")
    var config: String?

    func validate() throws {
        guard FileSystem.exists(path) else { throw ValidationError("\(path): no such file or folder") }
    }

    func loadSettings() throws -> LintSettings {
        do {
            return try ConfigurationFile.settings(
                config: config, searchingFrom: FileSystem.isDirectory(path) ? path : FileSystem.parentDirectory(of: path))
        } catch let error as ConfigurationError {
            fputs("djlint-secrets: \(error)\n", stderr)
            throw ExitCode(2)
        }
    }
}

struct Rotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace the project's SECRET_KEY in .env; on Django 4.1+ keep the old one in the fallbacks unless it leaked.")

    @OptionGroup var target: ProjectOptions

    @Flag(help: "The current key leaked: do not keep it as a fallback.")
    var leaked = false

    @Flag(help: "End a transition: empty the fallbacks variable (the key stays).")
    var dropFallbacks = false

    @Flag(help: "Say what would change and write nothing.")
    var dryRun = false

    func validate() throws {
        if leaked && dropFallbacks { throw ValidationError("--leaked and --drop-fallbacks exclude each other: --leaked rotates the key, --drop-fallbacks keeps it") }
    }

    func run() throws {
        let settings = try target.loadSettings()
        var options = RotationOptions()
        options.leaked = leaked
        options.dropFallbacks = dropFallbacks
        options.dryRun = dryRun
        let session = FixSession(settings: settings, keyPolicy: .rotate, warn: { fputs("djlint-secrets: \($0)\n", stderr) })
        var rotation = KeyRotation(settings: settings, session: session, options: options)
        let status = rotation.run(path: target.path)
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

enum EnvFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, dotenv
}

struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "List the environment variables the settings read; with --check, the deploy preflight.")

    @OptionGroup var target: ProjectOptions

    @Flag(help: "Exit 1 when a required variable is missing or empty, SECRET_KEY is insecure or weak, or DEBUG would be on.")
    var check = false

    @Option(help: "With --check: also read this env file (as python-dotenv does; the process environment wins).")
    var envFile: String?

    @Option(help: "Output format: text, json or dotenv.")
    var format: EnvFormat = .text

    func validate() throws {
        if let envFile, !FileSystem.exists(envFile) { throw ValidationError("\(envFile): no such file") }
    }

    func run() throws {
        let settings = try target.loadSettings()
        let path = target.path
        guard let parser = try? PythonParser() else { throw ExitCode(2) }
        let project = ProjectSettings.load(path: path, settings: settings, parser: parser, warn: { fputs("djlint-secrets: \($0)\n", stderr) })
        if project.modules.isEmpty { fputs("djlint-secrets: no settings module found under \(path)\n", stderr) }
        let contract = EnvContract(project: project, settings: settings)
        guard check else {
            switch format {
            case .text: print(contract.renderText(), terminator: "")
            case .json: print(contract.renderJSON(), terminator: "")
            case .dotenv: print(contract.renderDotenv(), terminator: "")
            }
            return
        }
        var environment: [String: String] = [:]
        if let envFile {
            do {
                environment = EnvFile(bytes: try FileSystem.read(envFile, limit: FileSystem.maximumSourceSize)).values
            } catch {
                fputs("djlint-secrets: \(error)\n", stderr)
                throw ExitCode(2)
            }
        }
        for (name, value) in ProcessEnvironment.current() { environment[name] = value }
        let problems = contract.problems(environment: environment)
        if project.modules.isEmpty { throw ExitCode(1) }
        for problem in problems { print("error: \(problem)") }
        if problems.isEmpty {
            print("Preflight passed: \(contract.variables.filter(\.required).count) required variable(s) set, SECRET_KEY strong, DEBUG off.")
        } else {
            print("Preflight failed: \(problems.count) problem(s); values are never printed.")
        }
        fflush(stdout)
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

/// The process environment as name → value.
enum ProcessEnvironment {
    static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
