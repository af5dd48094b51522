/// Items grouped by an id key, each group in the order the items were given: two dense arrays
/// (a head per key, a next per item) instead of a dictionary of arrays, so that grouping a million
/// rows allocates twice, not a million times.
struct Groups {
    private var head: [Int32]
    private var next: [Int32]

    /// `items` in their order; `key` of each; keys and items are below `keyCount` and `itemCount`.
    init(_ items: [Int32], keyCount: Int, itemCount: Int, key: (Int32) -> Int32) {
        head = Array(repeating: -1, count: keyCount)
        next = Array(repeating: -1, count: itemCount)
        // Prepending in reverse leaves each chain in the given order.
        for item in items.reversed() {
            let k = key(item)
            guard k >= 0 else { continue }
            next[Int(item)] = head[Int(k)]
            head[Int(k)] = item
        }
    }

    func first(_ key: Int32) -> Int32? {
        guard key >= 0, head[Int(key)] >= 0 else { return nil }
        return head[Int(key)]
    }

    func items(_ key: Int32) -> Chain { Chain(links: next, current: key >= 0 ? head[Int(key)] : -1) }

    struct Chain: Sequence, IteratorProtocol {
        let links: [Int32]
        var current: Int32
        mutating func next() -> Int32? {
            guard current >= 0 else { return nil }
            defer { current = links[Int(current)] }
            return current
        }
    }
}
