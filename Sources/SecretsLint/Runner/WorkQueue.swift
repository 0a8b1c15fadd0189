#if canImport(Glibc)
import Glibc
#endif

/// A blocking first-in first-out queue between the file walk and the checking threads, holding at
/// most `capacity` items: each walked file keeps its folder open, so the walk must not run far ahead.
/// Items carry their arrival index, so results can be put back in walk order.
final class WorkQueue<Item>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var available = pthread_cond_t()
    private var roomAvailable = pthread_cond_t()
    private var items: [Item] = []
    private var head = 0
    private var pushed = 0
    private var closed = false
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&available, nil)
        pthread_cond_init(&roomAvailable, nil)
    }

    deinit {
        pthread_cond_destroy(&roomAvailable)
        pthread_cond_destroy(&available)
        pthread_mutex_destroy(&mutex)
    }

    /// Adds an item, waiting while the queue is full.
    func push(_ item: Item) {
        pthread_mutex_lock(&mutex)
        while items.count - head >= capacity { pthread_cond_wait(&roomAvailable, &mutex) }
        if head > 0 && head * 2 >= items.count {
            // Drop what was taken, releasing it (and the folders it kept open).
            items.removeFirst(head)
            head = 0
        }
        items.append(item)
        pushed += 1
        pthread_cond_signal(&available)
        pthread_mutex_unlock(&mutex)
    }

    func close() {
        pthread_mutex_lock(&mutex)
        closed = true
        pthread_cond_broadcast(&available)
        pthread_mutex_unlock(&mutex)
    }

    /// The next item and its index, waiting for one; nil once the queue is closed and drained.
    func pop() -> (Int, Item)? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while head == items.count && !closed { pthread_cond_wait(&available, &mutex) }
        guard head < items.count else { return nil }
        let index = pushed - (items.count - head)
        let item = items[head]
        head += 1
        // Wake the walk once half the room is free, not on every item.
        if items.count - head == capacity / 2 { pthread_cond_signal(&roomAvailable) }
        return (index, item)
    }
}

/// Results stored by index from several threads.
final class ResultSlots<Result>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var slots: [Int: Result] = [:]

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func store(_ result: Result, at index: Int) {
        pthread_mutex_lock(&mutex)
        slots[index] = result
        pthread_mutex_unlock(&mutex)
    }

    func inOrder() -> [Result] {
        slots.sorted { $0.key < $1.key }.map(\.value)
    }
}

/// Threads with a stack of known size. Analysis recurses on syntax trees (bounded by
/// `Linter.maximumNesting`); its stack must not depend on `ulimit -s` or on the thread pool's default.
enum LargeStackThread {
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
    static func run(_ body: @escaping () -> Void) {
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0,
           limit.rlim_cur == rlim_t.max || limit.rlim_cur >= rlim_t(enoughForMainThread) {
            body()
            return
        }
        if let thread = start(body) { join(thread) } else { body() }
    }
}
