import Dispatch

extension DispatchQueue {
    /// Runs blocking work (a store that flushes, libcurl) on this queue, and waits for it without
    /// holding one of Swift's few cooperative threads. A queue of its own gets a thread of its own; the
    /// global queues' threads are as many as the cores, and blocking them starves the pool too.
    public func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            self.async { continuation.resume(returning: Result { () throws(E) -> T in try work() }) }
        }
        return try result.get()
    }
}
