#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the lock of a folder could not be had: nothing was written.
public struct WriteLockError: Error, CustomStringConvertible {
    public let folder: String
    public let reason: String
    public var description: String { reason }
}

/// One writer at a time per folder: every read → merge → write of `.env`, the example env file and
/// `.gitignore` (by any front end and any process: command line, stdin mode, the language server,
/// `rotate`) happens while this process holds an exclusive `flock` on `.djlint-secrets.lock` in the
/// folder that holds the written file.
///
/// The lock file is never renamed over (an atomic rename would swap the inode others are waiting on);
/// it is unlinked by its holder just before the lock is released, so a project keeps no lock file
/// between runs. A waiter that wins a lock on a file that was unlinked meanwhile (its inode is no longer
/// the one at the path) opens the path again. The kernel releases an `flock` when its holder dies, even
/// by SIGKILL: a lock file a killed run left behind is taken at once by the next run, which removes it.
public enum WriteLock {
    public static let fileName = ".djlint-secrets.lock"

    /// How long a run waits for another run's writes (a few milliseconds each) before giving up.
    /// `DJLINT_SECRETS_LOCK_TIMEOUT` (seconds) shortens it in tests.
    public static let timeoutSeconds: Double = getenv("DJLINT_SECRETS_LOCK_TIMEOUT").flatMap { Double(String(cString: $0)) } ?? 5

    /// Test hook, for the concurrency and crash tests only: with `DJLINT_SECRETS_HOLD_LOCK=SECONDS`, the
    /// process sleeps that long right after taking a lock, so that a test can kill it while it holds one.
    private static let holdSeconds: Double? = getenv("DJLINT_SECRETS_HOLD_LOCK").flatMap { Double(String(cString: $0)) }

    /// Locks this process holds, by lock file path, with their thread and how many nested callers hold
    /// each: `flock` is per open file, so a second open of the same lock by the same thread would wait for
    /// itself (another thread's open does wait, as another process's would).
    nonisolated(unsafe) private static var held: [String: (descriptor: Int32, depth: Int, thread: pthread_t)] = [:]
    nonisolated(unsafe) private static let heldMutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()

    private static func withHeld<T>(_ body: (inout [String: (descriptor: Int32, depth: Int, thread: pthread_t)]) -> T) -> T {
        pthread_mutex_lock(heldMutex)
        defer { pthread_mutex_unlock(heldMutex) }
        return body(&held)
    }

    /// Runs `body` holding the lock of `folder`. Throws `WriteLockError` (without running `body`) when
    /// another process keeps the lock longer than `timeout` seconds. When no lock file can be made there
    /// at all (a read-only or foreign folder), `body` runs unlocked: nothing can be written in that folder
    /// by anyone who could race this run either, and the writes report their own errors.
    public static func withLock<Result>(
        folder: String, timeout: Double = timeoutSeconds, _ body: () throws -> Result
    ) throws -> Result {
        let path = folder + "/" + fileName
        let thread = pthread_self()
        let reentered = withHeld { held -> Bool in
            guard let entry = held[path], pthread_equal(entry.thread, thread) != 0 else { return false }
            held[path] = (entry.descriptor, entry.depth + 1, thread)
            return true
        }
        if reentered {
            defer { withHeld { held in if let entry = held[path] { held[path] = (entry.descriptor, entry.depth - 1, thread) } } }
            return try body()
        }
        guard let descriptor = try acquire(path, folder: folder, timeout: timeout) else { return try body() }
        withHeld { $0[path] = (descriptor, 1, thread) }
        defer {
            withHeld { $0[path] = nil }
            // Unlinked while still held: whoever waits on this inode finds it gone and opens the path anew.
            unlink(path)
            close(descriptor)
        }
        if let holdSeconds { usleep(useconds_t(holdSeconds * 1_000_000)) }
        return try body()
    }

    /// The locked descriptor, nil when no lock file can be made in the folder.
    private static func acquire(_ path: String, folder: String, timeout: Double) throws -> Int32? {
        let deadline = monotonicSeconds() + timeout
        var pause: useconds_t = 1_000
        while true {
            // O_NOFOLLOW: a link planted at the lock's name must not make this run create a file elsewhere.
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if descriptor < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EACCES || code == EPERM || code == EROFS || code == ENOENT { return nil }
                throw WriteLockError(folder: folder, reason: "cannot lock \(path): \(String(cString: strerror(code)))")
            }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                guard code == EWOULDBLOCK || code == EINTR else {
                    close(descriptor)
                    if code == ENOLCK || code == EOPNOTSUPP || code == EINVAL { return nil }  // no flock on this file system
                    throw WriteLockError(folder: folder, reason: "cannot lock \(path): \(String(cString: strerror(code)))")
                }
                if monotonicSeconds() >= deadline {
                    close(descriptor)
                    throw WriteLockError(
                        folder: folder,
                        reason: "another djlint-secrets run kept \(path) locked for \(formatted(timeout)) s; nothing was written, run again")
                }
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
            // The lock is ours only if the file is still the one at the path (its holder may have unlinked it).
            var opened = stat()
            var current = stat()
            if fstat(descriptor, &opened) == 0, lstat(path, &current) == 0,
               opened.st_dev == current.st_dev, opened.st_ino == current.st_ino {
                return descriptor
            }
            close(descriptor)
        }
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func formatted(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
