/// Serialises work per key (a quote id) inside the process: two concurrent requests for the same
/// quote make one PaymentIntent, not two.
actor KeyedLock {
    private var busy: [String: [CheckedContinuation<Void, Never>]] = [:]

    func run<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        if busy[key] != nil {
            await withCheckedContinuation { busy[key, default: []].append($0) }
        } else {
            busy[key] = []
        }
        defer { release(key) }
        return try await body()
    }

    private func release(_ key: String) {
        if var waiters = busy[key], !waiters.isEmpty {
            let next = waiters.removeFirst()
            busy[key] = waiters
            next.resume()
        } else {
            busy[key] = nil
        }
    }
}
