import Core
import Dispatch

/// The second reader of `FactLoader`: charges, then transactions, on the `SnapshotConnection`, on a
/// thread of its own.
final class SnapshotReader: @unchecked Sendable {
    private let helper: SnapshotConnection
    private let start: Timestamp, end: Timestamp
    private let done = DispatchGroup()
    /// A queue of its own, not a global one: a serial queue gets a thread even when every thread of the
    /// global pool (as wide as the cores) is blocked, here or in another load running beside this one.
    private let queue = DispatchQueue(label: "payrecon.fact-reader")
    /// Set on the reader's thread before it leaves `done`; read after waiting on it.
    private var failure: (any Error)?

    init?(helper: SnapshotConnection?, start: Timestamp, end: Timestamp) {
        guard let helper else { return nil }
        self.helper = helper; self.start = start; self.end = end
    }

    func read(charges: String, into chargeLane: Lane, transactions: String, into transactionLane: Lane) {
        queue.async(group: done) { [self] in
            defer { chargeLane.finish(); transactionLane.finish() }
            do {
                let currencies = FactCurrencyCache()
                try FactLoader.readWindow(
                    FactLoader.chargeSQL(charges), on: helper.handle, start, end, into: chargeLane, currencies,
                    FactLoader.readCharges)
                try FactLoader.readWindow(
                    FactLoader.transactionSQL(transactions), on: helper.handle, start, end, into: transactionLane,
                    currencies, FactLoader.readTransactions)
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the reader, and throws what stopped it.
    func wait() throws {
        done.wait()
        if let failure { throw failure }
    }

    /// After an error on this side: stops the reader at its next chunk and waits for it.
    func stop(_ lanes: Lane...) {
        for lane in lanes { lane.cancel() }
        done.wait()
    }
}
