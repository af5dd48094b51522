/// Runs `work` for every item with at most `limit` in flight; the results in the order they finished.
func forEach<Item: Sendable, Result: Sendable>(
    _ items: [Item], concurrently limit: Int, _ work: @escaping @Sendable (Item) async throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: Result.self) { group in
        var pending = items.makeIterator()
        var results: [Result] = []
        for _ in 0..<max(1, limit) {
            guard let next = pending.next() else { break }
            group.addTask { try await work(next) }
        }
        while let result = try await group.next() {
            results.append(result)
            if let next = pending.next() { group.addTask { try await work(next) } }
        }
        return results
    }
}
