// swift-tools-version:6.0
import PackageDescription

// Release builds leave out the run-time exclusivity checks (debug builds, which run the tests, keep them):
// the statement scans access their state many times a statement, and the checks cost 7% of an editor save.
let releaseSpeed: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "djlint-secrets",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "djlint-secrets", targets: ["djlint-secrets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CTreeSitter",
            pkgConfig: "tree-sitter",
            providers: [.apt(["libtree-sitter-dev"])]
        ),
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // Sources fetched by Grammars/fetch-grammar.sh (pinned, hash-checked, git-ignored).
        .target(
            name: "TreeSitterPython",
            dependencies: ["CTreeSitter"],
            path: "Grammars/TreeSitterPython",
            exclude: ["src/LICENSE.tree-sitter-python", "src/tree_sitter"],
            sources: ["src/parser.c", "src/scanner.c"],
            publicHeadersPath: "include",
            cSettings: [.headerSearchPath("src"), .unsafeFlags(["-w"])]
        ),
        // C for the tree scan: SIMD search for several literals in one pass, raw directory listing.
        .target(name: "CScan"),
        .target(
            name: "PythonSyntax",
            dependencies: ["CTreeSitter", "CPCRE2", "TreeSitterPython", "CScan"],
            swiftSettings: releaseSpeed
        ),
        .target(
            name: "SecretsLint",
            dependencies: ["PythonSyntax", "CScan"],
            swiftSettings: releaseSpeed
        ),
        // `djlint-secrets server`: the Language Server Protocol front end over the same engine.
        .target(
            name: "SecretsLintServer",
            dependencies: ["SecretsLint", "PythonSyntax"],
            swiftSettings: releaseSpeed
        ),
        // The command line: a quick reader for the usual `check` invocations, swift-argument-parser for the rest.
        .target(
            name: "SecretsLintCLI",
            dependencies: [
                "SecretsLint",
                "SecretsLintServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "djlint-secrets",
            dependencies: ["SecretsLintCLI"]
        ),
        // The properties the fuzz target and the property tests check; not part of the product.
        .target(
            name: "FixProperties",
            dependencies: ["SecretsLint"]
        ),
        // libFuzzer target (`make fuzz`); built without the fuzzer it replays inputs from files.
        .executableTarget(
            name: "djlint-secrets-fuzz",
            dependencies: ["FixProperties", "SecretsLint"],
            exclude: ["settings.dict"]
        ),
        .testTarget(
            name: "SecretsLintTests",
            dependencies: ["SecretsLint", "SecretsLintCLI", "SecretsLintServer", "PythonSyntax", "FixProperties"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
