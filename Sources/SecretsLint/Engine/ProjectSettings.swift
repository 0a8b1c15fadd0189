import PythonSyntax

/// The settings modules a project runs, read and analysed (never imported): the module that `manage.py`
/// names in `DJANGO_SETTINGS_MODULE` and every project module it imports (`from .base import *`), in
/// the order Python runs them; without one, every settings module under the path. `rotate` and `env`
/// share it, so split settings are followed as `check` follows them.
public struct ProjectSettings {
    public struct Module {
        public let path: String
        public let analysis: FileAnalysis
    }

    public let root: String
    public let modules: [Module]
    /// The dotted module `manage.py` selects, when it names one that exists.
    public let entryModule: String?

    public static func load(path: String, settings: LintSettings, parser: PythonParser, warn: (String) -> Void) -> ProjectSettings {
        var linter = Linter(settings: settings)
        // The whole file: the contract lists reads no rule looks at, and rotate edits the full text.
        linter.usesStatementSelection = false
        let imports = SettingsImports(parser: parser)
        var modules: [Module] = []
        var seen = Set<String>()
        func visit(_ file: String) {
            let absolute = FileSystem.normalize(FileSystem.absolute(file))
            guard seen.insert(absolute).inserted else { return }
            let bytes: [UInt8]
            do { bytes = try FileSystem.read(file, limit: FileSystem.maximumSourceSize) } catch {
                warn("\(error)")
                return
            }
            // The modules a project runs are its settings modules (SPEC "Which code is looked at").
            let displayed = CheckRunner.display(absolute, like: path)
            guard let analysis = try? linter.analyze(
                path: displayed, source: SourceText(bytes: bytes), parser: parser, imports: imports,
                scope: SettingsScope(namedPaths: [displayed])) else {
                warn("\(file): cannot be analysed")
                return
            }
            // Python runs the imported module first: its reads come before the importer's.
            for reference in analysis.model.projectImports {
                if let imported = imports.modulePath(of: reference, importedBy: file) { visit(imported) }
            }
            modules.append(Module(path: displayed, analysis: analysis))
        }

        let isFolder = FileSystem.isDirectory(path)
        // Absolute: git answers about absolute paths, and the writer's refusals compare against them.
        let root = FileSystem.normalize(FileSystem.absolute(isFolder && FileSystem.exists(path + "/manage.py")
            ? path : ProjectLocator.root(forFile: isFolder ? path + "/manage.py" : path, git: { GitRepository.containing(isFolder ? path : FileSystem.parentDirectory(of: path)) })))
        if !isFolder {
            visit(path)
            return ProjectSettings(root: root, modules: modules, entryModule: nil)
        }
        // The module manage.py names, found as `check` finds the modules DJANGO_SETTINGS_MODULE names.
        let managePath = root + "/manage.py"
        if let bytes = try? FileSystem.readIfExists(managePath),
           let entry = ProjectSettingsModules.pythonSettingsModules(bytes, path: managePath, parser: parser).first,
           let file = ProjectSettingsModules.locate(module: entry, from: root) {
            visit(file)
            return ProjectSettings(root: root, modules: modules, entryModule: entry)
        }
        var problems: [FileWalker.Problem] = []
        let files = FileWalker(exclude: settings.exclude + settings.extendExclude).files(under: [path], problems: &problems)
        for file in files.sorted() where settings.isSettingsModule(path: file) { visit(file) }
        modules.removeAll { !$0.analysis.isSettingsFile && $0.analysis.model.assignments.isEmpty }
        return ProjectSettings(root: root, modules: modules, entryModule: nil)
    }
}
