import Foundation

/// Threads of their own, one per core, at a lower priority (nice 5) than the rest of the process,
/// for CPU-heavy work nobody is waiting for at the moment: rendering the invoices of booked orders.
/// Every core renders, yet a webhook's acknowledgement or a group's commit that needs a core gets it
/// first (the kernel gives a nice-0 thread about three times the share of a nice-5 one). Not lower:
/// at nice 10 (a tenth of the share) a machine kept busy by other work starved the renders for
/// tens of seconds. The threads end when this is released.
final class BackgroundThreads: Sendable {
    /// The work waiting, shared with the threads (which must not keep `BackgroundThreads` alive).
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        /// A few at most: the pipeline keeps one more job in flight than there are threads.
        var jobs: [@Sendable () -> Void] = []
        var stopped = false

        func take() -> (@Sendable () -> Void)? {
            condition.lock()
            defer { condition.unlock() }
            while jobs.isEmpty, !stopped { condition.wait() }
            return jobs.isEmpty ? nil : jobs.removeFirst()
        }
    }

    private let queue = Queue()
    let count: Int

    init(count: Int = ProcessInfo.processInfo.activeProcessorCount, nice: Int32 = 5) {
        self.count = max(1, count)
        for index in 0..<self.count {
            let queue = queue
            let thread = Thread {
                // On Linux a thread's nice value is its own: this lowers only this thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
                while let job = queue.take() { job() }
            }
            thread.name = "payrecon-render-\(index)"
            thread.start()
        }
    }

    deinit {
        queue.condition.lock()
        queue.stopped = true
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    /// Runs `work` on one of the threads; the caller's task waits without holding a thread of Swift's pool.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.condition.lock()
            queue.jobs.append { continuation.resume(with: Result { try work() }) }
            queue.condition.signal()
            queue.condition.unlock()
        }
    }
}
