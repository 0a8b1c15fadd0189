import SecretsLint

/// Reads the command lines editors, pre-commit and CI send on every save or commit, without
/// swift-argument-parser: its reflection over the command's properties costs more than the whole
/// check of a settings file. Anything else (help, `--version`, other commands, an unknown or
/// repeated option, a value it would reject) gives nil, and swift-argument-parser reads the
/// command line instead, with its messages. Tests hold both readers to the same results.
public enum QuickCheckParser {
    /// `arguments` without the program name.
    public static func parse(_ arguments: [String]) -> CheckArguments? {
        if let first = arguments.first, isUnknownCommand(first) { return nil }
        var result = CheckArguments()
        var remaining = arguments[...]
        if remaining.first == "check" { remaining = remaining.dropFirst() }
        // Arrays, not sets: a handful of names, and no hashing machinery to set up at start-up.
        var seen: [String] = []
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("-") && argument != "-" else {
                // Without `check` first, a word that names a command may be read as that command.
                if arguments.first != "check" && subcommandNames.contains(argument) { return nil }
                result.paths.append(argument)
                continue
            }
            // `-q` is `--quiet` (ruff's spelling); given with `--quiet` it is a repeated option.
            var name = argument == "-q" ? "--quiet" : argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard !seen.contains(name) else { return nil }
            seen.append(name)
            // Plain switches: key paths and closures in tables would cost metadata look-ups at start-up.
            switch name {
            case "--fix", "--diff", "--history", "--rotate", "--keep-key", "--exit-zero", "--quiet", "--add-noqa":
                guard inlineValue == nil else { return nil }
                switch name {
                case "--fix": result.fix = true
                case "--diff": result.diff = true
                case "--history": result.history = true
                case "--rotate": result.rotate = true
                case "--keep-key": result.keepKey = true
                case "--exit-zero": result.exitZero = true
                case "--add-noqa": result.addNoqa = true
                default: result.quiet = true
                }
            case "--format", "--color", "--select", "--ignore", "--config", "--stdin-filename", "--output-file":
                guard let value = inlineValue ?? remaining.popFirst(), !value.hasPrefix("-") else { return nil }
                switch name {
                case "--format":
                    guard let format = OutputFormat(rawValue: value) else { return nil }
                    result.format = format
                case "--color":
                    guard let color = ColorChoice(rawValue: value) else { return nil }
                    result.color = color
                case "--select": result.select = value
                case "--ignore": result.ignore = value
                case "--config": result.config = value
                case "--output-file": result.outputFile = value
                default: result.stdinFilename = value
                }
            default:
                return nil
            }
        }
        guard !(result.rotate && result.keepKey), codesAreKnown(result.select), codesAreKnown(result.ignore),
              CheckArguments.conflict(addNoqa: result.addNoqa, fix: result.fix, diff: result.diff, paths: result.paths) == nil
        else { return nil }
        return result
    }

    static let subcommandNames = ["check", "rule", "generate-key", "server", "rotate", "env", "help"]

    /// A first word shaped like a command (`chek`, `serve`) that is neither a command nor an existing
    /// file or folder: checking it as a path would only say it cannot be read.
    static func isUnknownCommand(_ word: String) -> Bool {
        guard let head = word.utf8.first, head >= UInt8(ascii: "a") && head <= UInt8(ascii: "z"),
              word.utf8.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "-") }),
              !subcommandNames.contains(word)
        else { return false }
        return !FileSystem.exists(word)
    }

    private static func codesAreKnown(_ list: String?) -> Bool {
        (CheckArguments.codes(list) ?? []).allSatisfy { RuleRegistry.description(for: $0) != nil }
    }
}
