import Core
import Dispatch
import Foundation
import Store

/// Writes a pull's pages on a thread of its own, pages that wait together in one transaction (each with
/// its checkpoint). The walks await their page's commit without holding one of Swift's few cooperative
/// threads: a GRDB write blocks the thread it runs on, and walks blocking them stall the whole pull.
final class PageWriter: @unchecked Sendable {
    private typealias Pending = (data: StripeAccountData, checkpoint: ExtractCheckpoint, done: CheckedContinuation<Void, any Error>)
    private let store: PayreconStore
    private let now: Timestamp
    private let queue = DispatchQueue(label: "payrecon.extract-writer")
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var pending: [Pending] = []
    private var draining = false

    init(store: PayreconStore, now: Timestamp) { self.store = store; self.now = now }

    /// Returns once the page and its checkpoint are committed.
    func save(_ data: StripeAccountData, _ checkpoint: ExtractCheckpoint) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            lock.lock()
            pending.append((data, checkpoint, done))
            let start = !draining
            draining = true
            lock.unlock()
            if start { queue.async { self.drain() } }
        }
    }

    /// Runs other store work on the writer's thread, in turn with the pages; returns what it returns.
    func perform<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await queue.run(work)
    }

    private func drain() {
        while true {
            lock.lock()
            let batch = pending
            pending = []
            if batch.isEmpty { draining = false }
            lock.unlock()
            guard !batch.isEmpty else { return }
            do {
                try store.savePages(batch.map { ($0.data, $0.checkpoint) }, at: now)
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
    }
}
