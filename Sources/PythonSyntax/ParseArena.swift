import CScan
import CTreeSitter

/// tree-sitter's memory, for a process that parses on one thread and keeps its trees until it exits (a file
/// checked alone): small blocks come from one reserved region by size class (`Sources/CScan/parse_arena.c`),
/// which takes and gives back a block in a few instructions. The C library's allocator was about a twentieth
/// of a big module's check.
public enum ParseArena {
    /// tree-sitter's allocator replaced, once: on threads that do not serve from the region, it passes every
    /// call through to the C library.
    private static let installed: Bool = {
        ts_set_allocator(parse_arena_malloc, parse_arena_calloc, parse_arena_realloc, parse_arena_free)
        return true
    }()

    /// Runs `body` with tree-sitter's small blocks on this thread served from the region, unless another thread
    /// is being served (then as before). Blocks given out stay valid after it returns; the region does not
    /// reuse those freed later, so what is parsed here should be kept until the process exits.
    public static func serving<Result>(_ body: () throws -> Result) rethrows -> Result {
        _ = installed
        let serves = parse_arena_begin() != 0
        defer { if serves { parse_arena_end() } }
        return try body()
    }
}
