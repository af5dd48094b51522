import Core
import Dispatch
import Facts

/// Chunks of one table's rows on their way to the interner, as work to run on its thread.
typealias Lane = BoundedHandoff<@Sendable (inout ReconcileFacts) -> Void>

/// The consumer half of `FactLoader`: interns and stores staged rows on its own thread while the
/// readers keep SQLite busy, one lane after another in the order they were given.
final class FactInterner: @unchecked Sendable {
    /// Touched only on `queue` (lane work, or `withFacts`, which runs when the queue is idle).
    private var facts = ReconcileFacts()
    private let queue = DispatchQueue(label: "payrecon.fact-interner")

    /// Runs the lane's work, chunk by chunk as it arrives, once the lanes given before are done.
    func drain(_ lane: Lane) {
        queue.async {
            while let work = lane.take() { work(&self.facts) }
        }
    }

    /// Waits for the lanes given so far to end, then lets `body` read or change the facts.
    func withFacts<T>(_ body: (inout ReconcileFacts) throws -> T) rethrows -> T {
        try queue.sync { try body(&facts) }
    }
}
