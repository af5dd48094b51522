import Foundation

/// A bounded queue between one producing and one consuming thread (the fact loader's readers and its
/// interner, the ledger parser and the ledger writer): `put` waits while `capacity`
/// items wait, `take` waits for an item and returns nil once the producer has finished. `cancel`
/// (the consumer gave up) makes every later `put` return false at once, so the producer stops.
public final class BoundedHandoff<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    /// False when the consumer has cancelled: stop producing.
    public func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    public func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    public func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished && !cancelled { condition.wait() }
        guard !items.isEmpty else { return nil }
        condition.broadcast()
        return items.removeFirst()
    }

    public func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
