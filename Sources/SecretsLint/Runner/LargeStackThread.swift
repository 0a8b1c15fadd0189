#if canImport(Glibc)
import Glibc
#endif

/// Threads with a stack of known size. Analysis recurses on syntax trees (bounded by
/// `Linter.maximumNesting`); its stack must not depend on `ulimit -s` or on the thread pool's default.
public enum LargeStackThread {
    /// Address space only: pages are committed as they are touched.
    static let stackSize = 64 << 20

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; nil when no thread could be made.
    static func start(_ body: @escaping () -> Void) -> pthread_t? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }

    /// What the calling (main) thread's stack must allow for `run` to stay on it: eight times what
    /// the deepest tree `Linter.maximumNesting` admits takes in a debug build.
    static let enoughForMainThread = 8 << 20

    /// Runs `body` with a large stack and waits for it: inline when the main thread's stack limit is
    /// the usual 8 MiB or more (a new thread costs the editor path a fresh heap arena), else on a
    /// large-stack thread (inline again when none can be made).
    public static func run(_ body: @escaping () -> Void) {
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0,
           limit.rlim_cur == rlim_t.max || limit.rlim_cur >= rlim_t(enoughForMainThread) {
            body()
            return
        }
        if let thread = start(body) { join(thread) } else { body() }
    }
}
