import CScan
import PythonSyntax
import Testing

/// The arena tree-sitter allocates from in `check FILE` (`ParseArena`, `Sources/CScan/parse_arena.c`).
struct ParseArenaTests {
    /// Random takes, give-backs and resizes against a model of what each live block must hold: blocks never
    /// overlap, keep their bytes, are aligned and large enough; a freed block is the next one of its class; a
    /// request above the largest class, or one the region has no room left for, is refused.
    @Test func blocksKeepTheirBytes() throws {
        var arena = parse_arena()
        try #require(parse_arena_init(&arena, 1 << 16) != 0)
        #expect(parse_arena_take(&arena, Int(PARSE_ARENA_LARGEST) + 1) == nil)
        var live: [(block: UnsafeMutableRawPointer, bytes: [UInt8])] = []
        var generator = SystemRandomNumberGenerator()
        var refused = 0
        for step in 0..<4000 {
            let action = Int.random(in: 0..<10, using: &generator)
            if action < 5 || live.isEmpty {
                let size = Int.random(in: 0...Int(PARSE_ARENA_LARGEST), using: &generator)
                guard let block = parse_arena_take(&arena, size) else {
                    refused += 1
                    #expect(parse_arena_used(&arena) + 16 + (max(size, 1) + 15) / 16 * 16 > 1 << 16)
                    continue
                }
                #expect(Int(bitPattern: block) % 16 == 0)
                #expect(parse_arena_holds(&arena, block) != 0)
                #expect(parse_arena_block_size(block) >= size && parse_arena_block_size(block) < size + 16 + (size == 0 ? 16 : 0))
                let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
                block.copyMemory(from: bytes, byteCount: size)
                live.append((block, bytes))
            } else if action < 8 {
                let index = Int.random(in: 0..<live.count, using: &generator)
                let (block, _) = live.remove(at: index)
                let size = parse_arena_block_size(block)
                parse_arena_give_back(&arena, block)
                // The class's next block is the one just given back.
                let again = parse_arena_take(&arena, size)
                #expect(again == block, "step \(step)")
                if let again { parse_arena_give_back(&arena, again) }
            } else {
                let index = Int.random(in: 0..<live.count, using: &generator)
                let (block, bytes) = live[index]
                #expect(Array(UnsafeRawBufferPointer(start: block, count: bytes.count)) == bytes, "step \(step)")
            }
        }
        for (block, bytes) in live { #expect(Array(UnsafeRawBufferPointer(start: block, count: bytes.count)) == bytes) }
        // Blocks lie apart: sorted by address, each ends before the next begins.
        let spans = live.map { (Int(bitPattern: $0.block), parse_arena_block_size($0.block)) }.sorted { $0.0 < $1.0 }
        for (first, second) in zip(spans, spans.dropFirst()) { #expect(first.0 + first.1 <= second.0) }
        #expect(refused > 0, "the region never filled up: the test did not reach its end")
    }

    /// On a thread that does not serve from the region, tree-sitter's functions are the C library's: blocks
    /// keep their bytes through resizes, `calloc` zeroes.
    @Test func otherThreadsGetTheCLibrary() throws {
        let zeroed = try #require(parse_arena_calloc(10, 30))
        #expect(UnsafeRawBufferPointer(start: zeroed, count: 300).allSatisfy { $0 == 0 })
        var block = try #require(parse_arena_malloc(24))
        block.copyMemory(from: Array(0..<24) as [UInt8], byteCount: 24)
        block = try #require(parse_arena_realloc(block, 5000))
        #expect(Array(UnsafeRawBufferPointer(start: block, count: 24)) == Array(0..<24))
        parse_arena_free(block)
        parse_arena_free(zeroed)
        parse_arena_free(nil)
    }

    /// A parse on the serving thread has the pages its tree will take made present before it starts (one system
    /// call, not a page fault per page): 16 KiB and 40 bytes a byte parsed past what the region gave out, up to
    /// the region's end (8 MiB).
    @Test func aParseFindsItsPagesPresent() throws {
        let parser = try PythonParser()
        for lines in [1, 40, 2000, 8000] {
            let line = "X = {'a': [1, (2, 3)], 'b': f(x, y=z)}  # note\n"
            let text = String(repeating: line, count: lines)
            try ParseArena.serving {
                // Another test's parse may hold the region meanwhile: then the C library serves, as designed.
                guard parse_arena_serves() != 0 else { return }
                let before = parse_arena_shared_used()
                let whole = try parser.parse(SourceText(text))
                #expect(parse_arena_shared_present() >= min(before + (16 << 10) + text.utf8.count * 40, 8 << 20), "\(lines) lines")
                let beforeRanges = parse_arena_shared_used()
                let half = (lines + 1) / 2 * line.utf8.count
                let ranges = try parser.parse(SourceText(text), including: [0..<half])
                #expect(parse_arena_shared_present() >= min(beforeRanges + (16 << 10) + half * 40, 8 << 20), "\(lines) lines, half")
                _ = (whole.root, ranges.root)
            }
        }
    }

    /// What is parsed with the arena is what is parsed without it, reparses included, and the trees stay
    /// readable after the arena stops serving.
    @Test func treesAreTheSameInTheArena() throws {
        let sources = SyntaxTreeTests.sources + [String(repeating: "X = {'a': [1, (2, 3)], 'b': f(x, y=z)}\n", count: 400)]
        let parser = try PythonParser()
        let expected = try sources.map { try parser.parse(SourceText($0)).root.treeDescription }
        let (trees, reparsed) = try ParseArena.serving {
            let arenaParser = try PythonParser()
            let trees = try sources.map { try arenaParser.parse(SourceText($0)) }
            let edited = "import sys\n" + sources[0]
            let reparsed = try arenaParser.reparse(
                SourceText(edited), changing: trees[0], by: [SourceChange(range: 0..<0, replacement: Array("import sys\n".utf8))])
            return (trees, reparsed)
        }
        #expect(trees.map(\.root.treeDescription) == expected)
        #expect(reparsed.root.treeDescription == (try parser.parse(SourceText("import sys\n" + sources[0]))).root.treeDescription)
    }
}
