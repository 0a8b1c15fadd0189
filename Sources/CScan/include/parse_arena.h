#ifndef PARSE_ARENA_H
#define PARSE_ARENA_H

#include <stddef.h>

/// Memory for tree-sitter in a process that parses on one thread and keeps its trees until it exits
/// (`djlint-secrets check FILE`): blocks of up to `PARSE_ARENA_LARGEST` bytes come from one reserved region by
/// size class (16-byte steps), each class with its own list of freed blocks, so that a block is taken and given
/// back in a few instructions where the C library's allocator spends about a hundred.

#define PARSE_ARENA_LARGEST 1024
#define PARSE_ARENA_CLASSES (PARSE_ARENA_LARGEST / 16 + 1)

/// One region. Not safe to share between threads.
typedef struct {
    unsigned char *start, *next, *end;
    /// Where the pages made present ahead of use (`parse_arena_expect`) end.
    unsigned char *present;
    void *freed[PARSE_ARENA_CLASSES];
} parse_arena;

/// Reserves `size` bytes of address space (only pages touched take memory); 0 when it cannot be.
int parse_arena_init(parse_arena *arena, size_t size);
/// A block of at least `size` bytes, aligned to 16, or NULL when `size` is above `PARSE_ARENA_LARGEST` or the
/// region is used up.
void *parse_arena_take(parse_arena *arena, size_t size);
/// Gives back a block `parse_arena_take` gave: the next block of its class is this one.
void parse_arena_give_back(parse_arena *arena, void *block);
/// Whether `block` lies in the region.
int parse_arena_holds(const parse_arena *arena, const void *block);
/// How many bytes a block of the region holds (its class's size).
size_t parse_arena_block_size(const void *block);
/// Bytes of the region given out so far, freed blocks included.
size_t parse_arena_used(const parse_arena *arena);

/// tree-sitter's allocator (`ts_set_allocator`), over one process-wide region. On the thread between
/// `parse_arena_begin` and `parse_arena_end`, small blocks come from the region; on every other thread, and
/// for larger blocks or once the region is used up, the C library serves, and a block of the region is freed by
/// doing nothing. They free and resize blocks of the C library too, so they may replace tree-sitter's allocator
/// at any time; only one thread at a time serves from the region.
void *parse_arena_malloc(size_t size);
void *parse_arena_calloc(size_t count, size_t size);
void *parse_arena_realloc(void *block, size_t size);
void parse_arena_free(void *block);

/// On the thread that serves: a parse of `parsed_bytes` bytes of Python is about to start. The pages its trees
/// will take are made present in one system call instead of one page fault each (a fault costs microseconds
/// in a virtual machine; a big module's parse touches a few hundred pages). Nothing on another thread, nor
/// where the kernel cannot (before Linux 5.14).
void parse_arena_expect(size_t parsed_bytes);

/// For tests: whether this thread serves from the process-wide region, and how many of its bytes are given
/// out and made present.
int parse_arena_serves(void);
size_t parse_arena_shared_used(void);
size_t parse_arena_shared_present(void);

/// This thread serves from the process-wide region until `parse_arena_end`, unless another thread does (or the
/// region cannot be reserved): then nothing changes. Returns whether this thread serves. Calls nest.
int parse_arena_begin(void);
/// Ends the `parse_arena_begin` of this thread that served (nothing after one that did not). Blocks already
/// given out stay valid.
void parse_arena_end(void);

#endif
