/// The project a settings file belongs to: where its `.env` lives.
public enum ProjectLocator {
    /// The nearest folder at or above the file holding `manage.py`, else the git work tree root,
    /// else the file's own folder.
    public static func root(forFile path: String, git: GitRepository?) -> String {
        let folder = FileSystem.parentDirectory(of: FileSystem.absolute(path))
        var candidate = folder
        while true {
            if FileSystem.exists(candidate + "/manage.py") { return candidate }
            if let git, candidate == git.root { break }
            let parent = FileSystem.parentDirectory(of: candidate)
            if parent == candidate || candidate == "/" { break }
            candidate = parent
        }
        return git?.root ?? folder
    }
}
