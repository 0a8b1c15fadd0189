/// Values by an integer key (an offset, a line), in two arrays sorted by key and searched by halving. The analysis
/// fills it in the order of the file, so each key goes at the end. A `Dictionary` keyed by `Int` would do as well,
/// but the first one of a run costs its type's run-time metadata (the conformance scan of `Int: Hashable`, about
/// 0.22 M instructions, a twentieth of a small file's check).
struct OffsetTable<Value> {
    private var keys: [Int] = []
    private var values: [Value] = []

    var isEmpty: Bool { keys.isEmpty }

    /// The index of the first key not below `key`.
    private func position(of key: Int) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    subscript(key: Int) -> Value? {
        get {
            let index = position(of: key)
            return index < keys.count && keys[index] == key ? values[index] : nil
        }
        set {
            let index = position(of: key)
            let present = index < keys.count && keys[index] == key
            switch (present, newValue) {
            case (true, let value?): values[index] = value
            case (true, nil):
                keys.remove(at: index)
                values.remove(at: index)
            case (false, let value?):
                keys.insert(key, at: index)
                values.insert(value, at: index)
            case (false, nil): break
            }
        }
    }
}
