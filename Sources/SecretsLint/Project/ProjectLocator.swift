/// The project a settings file belongs to: where its `.env` lives.
public enum ProjectLocator {
    /// The nearest folder at or above the file holding `manage.py`, else the git work tree root,
    /// else the file's own folder. The search stops at a folder holding `.git` (the work tree's root),
    /// so git itself is asked only when there is no `manage.py`: the editor path stays free of processes.
    public static func root(forFile path: String, git: () -> GitRepository?) -> String {
        let folder = FileSystem.parentDirectory(of: FileSystem.absolute(path))
        var candidate = folder
        while true {
            if FileSystem.exists(candidate + "/manage.py") { return candidate }
            if FileSystem.exists(candidate + "/.git") { break }
            let parent = FileSystem.parentDirectory(of: candidate)
            if parent == candidate { break }
            candidate = parent
        }
        return git()?.root ?? folder
    }
}
