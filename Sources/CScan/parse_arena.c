#include "parse_arena.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

// Each block is a 16-byte header holding its size class, then the class's size in bytes: blocks stay aligned
// as the C library's are. A freed block holds the next freed block of its class.
enum { granule = 16, header_size = 16 };

int parse_arena_init(parse_arena *arena, size_t size) {
    memset(arena, 0, sizeof *arena);
    void *region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region == MAP_FAILED) return 0;
    arena->start = arena->next = arena->present = region;
    arena->end = arena->start + size;
    return 1;
}

void *parse_arena_take(parse_arena *arena, size_t size) {
    if (size > PARSE_ARENA_LARGEST) return NULL;
    size_t size_class = size == 0 ? 1 : (size + granule - 1) / granule;
    void *block = arena->freed[size_class];
    if (block) {
        arena->freed[size_class] = *(void **)block;
        return block;
    }
    size_t total = header_size + size_class * granule;
    if ((size_t)(arena->end - arena->next) < total) return NULL;
    unsigned char *header = arena->next;
    arena->next += total;
    *(size_t *)header = size_class;
    return header + header_size;
}

static inline size_t class_of(const void *block) {
    return *(const size_t *)((const unsigned char *)block - header_size);
}

void parse_arena_give_back(parse_arena *arena, void *block) {
    size_t size_class = class_of(block);
    *(void **)block = arena->freed[size_class];
    arena->freed[size_class] = block;
}

int parse_arena_holds(const parse_arena *arena, const void *block) {
    return (const unsigned char *)block >= arena->start && (const unsigned char *)block < arena->end;
}

size_t parse_arena_block_size(const void *block) {
    return class_of(block) * granule;
}

size_t parse_arena_used(const parse_arena *arena) {
    return (size_t)(arena->next - arena->start);
}

// The process-wide region: its size bounds what it adds to the process (a whole parse of a 10,000-line module
// fits; beyond it the C library serves).
static const size_t shared_size = (size_t)8 << 20;
static parse_arena shared;
static atomic_int claimed;
/// How many `parse_arena_begin` calls of this thread serve from the region and have not ended.
static _Thread_local int serving;

/// tree-sitter's own allocator ends the process when memory runs out; so does this one.
static void *checked(void *block, size_t size) {
    if (!block && size > 0) abort();
    return block;
}

void *parse_arena_malloc(size_t size) {
    if (serving) {
        void *block = parse_arena_take(&shared, size);
        if (block) return block;
    }
    return checked(malloc(size), size);
}

void parse_arena_free(void *block) {
    if (!block) return;
    if (!parse_arena_holds(&shared, block)) {
        free(block);
    } else if (serving) {
        parse_arena_give_back(&shared, block);
    }
}

void *parse_arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) abort();
    size_t total = count * size;
    void *block = serving ? parse_arena_take(&shared, total) : NULL;
    if (!block) return checked(calloc(count, size), total);
    memset(block, 0, total);
    return block;
}

void *parse_arena_realloc(void *block, size_t size) {
    if (!block) return parse_arena_malloc(size);
    if (!parse_arena_holds(&shared, block)) return checked(realloc(block, size), size);
    size_t capacity = parse_arena_block_size(block);
    if (size <= capacity) return block;
    void *moved = parse_arena_malloc(size);
    memcpy(moved, block, capacity);
    parse_arena_free(block);
    return moved;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// What tree-sitter's Python trees take of the region per byte parsed (about 30 to 45 on big settings modules),
// and what a parse takes whatever its size (the parser's stacks).
enum { bytes_per_parsed_byte = 40, bytes_per_parse = 16 << 10, page = 4096 };

void parse_arena_expect(size_t parsed_bytes) {
    if (!serving) return;
    size_t room = (size_t)(shared.end - shared.next);
    size_t wanted = room < bytes_per_parse || parsed_bytes > (room - bytes_per_parse) / bytes_per_parsed_byte
        ? room : bytes_per_parse + parsed_bytes * bytes_per_parsed_byte;
    unsigned char *until = shared.next + wanted;
    until = shared.start + ((size_t)(until - shared.start) + page - 1) / page * page;
    if (until > shared.end) until = shared.end;
    if (until <= shared.present) return;
    unsigned char *from = shared.present;
    // Failure (an old kernel) leaves the pages to fault in as before.
    if (madvise(from, (size_t)(until - from), MADV_POPULATE_WRITE) == 0) shared.present = until;
}

int parse_arena_serves(void) { return serving > 0; }
size_t parse_arena_shared_used(void) { return parse_arena_used(&shared); }
size_t parse_arena_shared_present(void) { return shared.start ? (size_t)(shared.present - shared.start) : 0; }

int parse_arena_begin(void) {
    if (serving) {
        serving += 1;
        return 1;
    }
    int expected = 0;
    if (!atomic_compare_exchange_strong(&claimed, &expected, 1)) return 0;
    if (!shared.start && !parse_arena_init(&shared, shared_size)) {
        atomic_store(&claimed, 0);
        return 0;
    }
    serving = 1;
    return 1;
}

void parse_arena_end(void) {
    if (!serving) return;
    serving -= 1;
    if (!serving) atomic_store(&claimed, 0);
}
