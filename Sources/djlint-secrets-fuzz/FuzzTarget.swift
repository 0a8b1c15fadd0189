// The libFuzzer target: every input goes through parse → rules → reports → fix planning (in memory)
// and must keep the properties of `FixProperties`. Built for fuzzing by `make fuzz`
// (`-sanitize=fuzzer,address -DFUZZING`), `main` hands over to libFuzzer's driver. Built plainly
// (`swift build`) it replays files instead:
//
//     djlint-secrets-fuzz FILE...            check each file, exit 1 on a violation
//     djlint-secrets-fuzz --write-seeds DIR  write the rules' documented examples as seed inputs
import FixProperties
import SecretsLint
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var properties: FixProperties? = try? FixProperties()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let properties else { fatalError("the Python grammar does not load") }
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let violation = properties.check(bytes) {
        fputs("property violated: \(violation)\n", stderr)
        abort()
    }
    return 0
}

#if FUZZING
// SwiftPM links every executable's entry point as `main`, so libFuzzer's own `main` is not used:
// ours calls its driver (declared here: libFuzzer ships no module map).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
struct FuzzDriver {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) })
    }
}
#else
@main
struct CorpusReplayer {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--write-seeds", arguments.count == 2 {
            writeSeeds(to: arguments[1])
            return
        }
        arguments.removeAll { $0.hasPrefix("-") }  // libFuzzer-style flags mean nothing here
        guard let properties else {
            fputs("djlint-secrets-fuzz: the Python grammar does not load\n", stderr)
            exit(2)
        }
        var failures = 0
        for path in arguments {
            guard let bytes = try? FileSystem.read(path) else {
                fputs("djlint-secrets-fuzz: cannot read \(path)\n", stderr)
                failures += 1
                continue
            }
            if let violation = properties.check(bytes) {
                fputs("\(path): \(violation)\n", stderr)
                failures += 1
            }
        }
        print("\(arguments.count - failures) of \(arguments.count) inputs keep every property")
        exit(failures == 0 ? 0 : 1)
    }

    static func writeSeeds(to folder: String) {
        var index = 0
        for rule in RuleRegistry.descriptions {
            let examples = rule.triggeringExamples.map { $0.replacingMarkers() } + rule.nonTriggeringExamples
                + rule.corrections.flatMap { [$0.before, $0.after] }
            for example in examples {
                index += 1
                let path = "\(folder)/\(rule.code)-\(index).py"
                do { try FileSystem.writeAtomically(Array(example.utf8), to: path) } catch {
                    fputs("djlint-secrets-fuzz: \(error)\n", stderr)
                    exit(2)
                }
            }
        }
        print("wrote \(index) seeds to \(folder)")
    }
}

extension String {
    /// Documentation examples mark findings with `↓`; the seeds are plain code.
    func replacingMarkers() -> String { String(unicodeScalars.filter { $0 != "↓" }.map(Character.init)) }
}
#endif
