#if canImport(Glibc)
import Glibc
#endif

/// A blocking first-in first-out queue between the file walk and the checking threads.
/// Items carry their arrival index, so results can be put back in walk order.
final class WorkQueue<Item>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var available = pthread_cond_t()
    private var items: [Item] = []
    private var head = 0
    private var closed = false

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&available, nil)
    }

    deinit {
        pthread_cond_destroy(&available)
        pthread_mutex_destroy(&mutex)
    }

    func push(_ item: Item) {
        pthread_mutex_lock(&mutex)
        items.append(item)
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
        let index = head
        head += 1
        return (index, items[index])
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
