import Facts

/// Facts grouped by an id key, each group in the order the facts were given: two dense arrays (a head
/// per key, a next per fact) instead of a dictionary of arrays, so that grouping a million rows
/// allocates twice, not a million times.
struct Groups<Fact> {
    private var head: IdMap<FactIndex<Fact>>
    private var next: FactColumn<Fact, FactIndex<Fact>>

    /// `items` in their order; `key` of each; keys are ids of a table of `keyCount`, items positions below `itemCount`.
    init(_ items: [FactIndex<Fact>], keyCount: Int, itemCount: Int, key: (FactIndex<Fact>) -> FactID) {
        head = IdMap(repeating: .none, count: keyCount)
        next = FactColumn(repeating: .none, count: itemCount)
        // Prepending in reverse leaves each chain in the given order.
        for item in items.reversed() {
            let k = key(item)
            guard !k.isNone else { continue }
            next[item] = head[k]
            head[k] = item
        }
    }

    func first(_ key: FactID) -> FactIndex<Fact>? {
        guard !key.isNone, !head[key].isNone else { return nil }
        return head[key]
    }

    func items(_ key: FactID) -> Chain { Chain(links: next, current: key.isNone ? .none : head[key]) }

    struct Chain: Sequence, IteratorProtocol {
        let links: FactColumn<Fact, FactIndex<Fact>>
        var current: FactIndex<Fact>
        mutating func next() -> FactIndex<Fact>? {
            guard !current.isNone else { return nil }
            defer { current = links[current] }
            return current
        }
    }
}
