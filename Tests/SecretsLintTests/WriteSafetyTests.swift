import Foundation
import Testing
@testable import SecretsLint

/// The writer's guarantees below the end-to-end tests: the folder lock, link resolution, modes.
struct WriteSafetyTests {
    @Test func theLockIsReentrantAndLeavesNoFileBehind() throws {
        let project = try TemporaryProject([:])
        let lockPath = project.root + "/" + WriteLock.fileName
        let depth = try WriteLock.withLock(folder: project.root) { () throws -> Int in
            #expect(FileSystem.exists(lockPath))
            // A nested writer of the same folder (the .gitignore beside .env) does not wait for itself.
            return try WriteLock.withLock(folder: project.root) { 2 }
        }
        #expect(depth == 2)
        #expect(!FileSystem.exists(lockPath))
    }

    @Test func aLockHeldElsewhereIsWaitedForThenRefusedWithoutRunningTheBody() throws {
        let project = try TemporaryProject([:])
        let lockPath = project.root + "/" + WriteLock.fileName
        // Another open file description of the lock file conflicts as another process's would.
        let other = open(lockPath, O_RDWR | O_CREAT, 0o600)
        #expect(other >= 0)
        defer { close(other) }
        #expect(flock(other, LOCK_EX) == 0)
        var ran = false
        let started = Date()
        #expect(throws: WriteLockError.self) {
            try WriteLock.withLock(folder: project.root, timeout: 0.2) { ran = true }
        }
        #expect(!ran)
        #expect(Date().timeIntervalSince(started) >= 0.2)
        // Released: taken at once, and the file the other holder left is taken over and removed.
        flock(other, LOCK_UN)
        try WriteLock.withLock(folder: project.root, timeout: 0.2) { ran = true }
        #expect(ran)
        #expect(!FileSystem.exists(lockPath))
    }

    @Test func linksResolveToTheirTargetsEvenWhenDangling() throws {
        let project = try TemporaryProject(["config/local.env": "A=1\n"])
        let root = FileSystem.realPath(project.root)!
        symlink("config/local.env", project.root + "/.env")
        symlink("config/missing.env", project.root + "/dangling.env")
        symlink("dangling.env", project.root + "/chain.env")
        symlink("nowhere/x.env", project.root + "/lost.env")
        #expect(FileSystem.linkTarget(project.root + "/config/local.env") == nil)  // not a link
        #expect(FileSystem.linkTarget(project.root + "/.env") == .some(root + "/config/local.env"))
        #expect(FileSystem.linkTarget(project.root + "/dangling.env") == .some(root + "/config/missing.env"))
        #expect(FileSystem.linkTarget(project.root + "/chain.env") == .some(root + "/config/missing.env"))
        #expect(FileSystem.linkTarget(project.root + "/lost.env") == .some(nil))
        // A write through a dangling link inside creates its target and keeps the link.
        try FileSystem.writeAtomically(Array("B=2\n".utf8), to: project.root + "/dangling.env", newFileMode: 0o600)
        #expect(FileSystem.isSymbolicLink(project.root + "/dangling.env"))
        #expect(project.read("config/missing.env") == "B=2\n")
    }

    @Test(arguments: [(mode_t(0o644), mode_t(0o600)), (0o666, 0o600), (0o640, 0o600), (0o600, 0o600), (0o400 | 0o200 | 0o004, 0o600)])
    func ownerOnlyDropsTheGroupsAndOthersBits(before: mode_t, after: mode_t) throws {
        let project = try TemporaryProject([".env": "A=1\n"])
        let path = project.root + "/.env"
        chmod(path, before)
        let loosened = try FileSystem.writeAtomically(Array("A=1\nB=2\n".utf8), to: path, ownerOnly: true)
        var status = stat()
        stat(path, &status)
        #expect(status.st_mode & 0o7777 == after)
        #expect(loosened == (before == after ? nil : before))
        // Without a secret, the mode is the user's.
        chmod(path, 0o644)
        #expect(try FileSystem.writeAtomically(Array("A=1\n".utf8), to: path) == nil)
        stat(path, &status)
        #expect(status.st_mode & 0o7777 == 0o644)
    }

    @Test func aSymlinkedGitignoreIsNotReadAsGitDoesNot() throws {
        let project = try TemporaryProject(["elsewhere": ".env\n", "real/.gitignore": ".env\n"])
        symlink(project.root + "/elsewhere", project.root + "/.gitignore")
        #expect(GitIgnoreRules(file: project.root + "/.gitignore", base: project.root) == nil)
        #expect(GitIgnoreRules(file: project.root + "/real/.gitignore", base: project.root + "/real") != nil)
    }
}
