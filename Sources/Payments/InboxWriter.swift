import Core
import Dispatch
import PaymentsStore

/// Group commit for the webhook inbox. Every delivery must be durable (synchronous=FULL) before
/// it is acknowledged, and an fsync per delivery would cap the endpoint at the disk's flush rate.
/// Deliveries that arrive while a commit is in flight wait for the next one, which writes them all
/// in one transaction: one flush for the whole group, and nobody is acknowledged early.
actor InboxWriter {
    private let store: any PaymentsStore
    private let clock: @Sendable () -> Timestamp
    private var waiting: [(IncomingWebhookEvent, CheckedContinuation<Bool, any Error>)] = []
    private var committing = false
    /// SQLite blocks while it flushes: keep that off the cooperative thread pool.
    private let queue = DispatchQueue(label: "payrecon.inbox-writer")

    init(store: any PaymentsStore, clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.clock = clock
    }

    /// Returns once the event is committed: true if it is new, false for a redelivery.
    func store(_ event: IncomingWebhookEvent) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((event, continuation))
            if !committing {
                committing = true
                Task { await self.commitWaiting() }
            }
        }
    }

    private func commitWaiting() async {
        while !waiting.isEmpty {
            let group = waiting
            waiting = []
            let outcome = await commit(group.map(\.0))
            for (index, (_, continuation)) in group.enumerated() {
                switch outcome {
                case .success(let fresh): continuation.resume(returning: fresh[index])
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        }
        committing = false
    }

    private nonisolated func commit(_ events: [IncomingWebhookEvent]) async -> Result<[Bool], any Error> {
        let store = self.store
        let now = clock()
        return await queue.run { Result { () throws -> [Bool] in try store.receiveWebhookEvents(events, at: now) } }
    }
}
