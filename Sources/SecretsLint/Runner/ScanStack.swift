#if canImport(Glibc)
import Glibc
#endif

/// The place of an item in the order a sequential walk would give (folder by folder, each folder's
/// files before its subfolders, names sorted): results found in any order are put back in it.
typealias WalkOrder = [UInt32]

/// The shared work of a parallel scan: folders to list and files to check. A thread that lists a
/// folder pushes its files and subfolders, so listing, reading and parsing all spread over the cores.
/// The newest item is taken first, which walks depth-first and keeps few folders open at a time.
final class ScanStack<Item>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var items: [Item] = []
    /// Items taken and not yet finished: each may still push more.
    private var active = 0
    private var waiting = 0

    init(_ initial: [Item]) {
        items = initial.reversed()
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    deinit {
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    /// Adds items; the first of them is taken next.
    func push(_ newItems: [Item]) {
        guard !newItems.isEmpty else { return }
        pthread_mutex_lock(&mutex)
        items.append(contentsOf: newItems.reversed())
        if waiting > 0 { pthread_cond_broadcast(&changed) }
        pthread_mutex_unlock(&mutex)
    }

    /// The next item, waiting while others may still push some; nil when all the work is done.
    /// Every item taken must be followed by `finish()`.
    func take() -> Item? {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while items.isEmpty && active > 0 {
            waiting += 1
            pthread_cond_wait(&changed, &mutex)
            waiting -= 1
        }
        guard let item = items.popLast() else { return nil }
        active += 1
        return item
    }

    func finish() {
        pthread_mutex_lock(&mutex)
        active -= 1
        if active == 0 && items.isEmpty && waiting > 0 { pthread_cond_broadcast(&changed) }
        pthread_mutex_unlock(&mutex)
    }
}
