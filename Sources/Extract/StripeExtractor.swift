import Core
import Logging
import Store
import StripeAPI

/// Pulls the account's balance transactions, charges, refunds, disputes and payouts into the store,
/// page by page, then each completed payout's composition (`?payout=po_`).
///
/// A pull walks each list newest first inside a window fixed when it began (`created[lt]` its start,
/// `created[gte]` the watermark less the lookback, or nothing for a full pull). Every page is written
/// with its list's checkpoint in one transaction, and a payout's links with its transactions, so
/// memory stays one page (or one payout) deep and a process killed at any moment resumes on the next
/// run where it stopped: no page twice, none missed. The checkpoints go when the pull is whole.
public struct StripeExtractor: Sendable {
    public struct Options: Sendable {
        /// Ignore watermarks and pull every object.
        public var full: Bool
        /// Requests in flight at once (lists and payout compositions).
        public var concurrency: Int
        /// Objects change after creation (a refund succeeds, a payout fails): an incremental run
        /// re-reads this far behind the newest object it has.
        public var lookbackSeconds: Int64

        public init(full: Bool = false, concurrency: Int = 4, lookbackSeconds: Int64 = Defaults.extractLookbackSeconds) {
            self.full = full; self.concurrency = max(1, concurrency); self.lookbackSeconds = lookbackSeconds
        }
    }

    public struct Summary: Sendable, Equatable {
        /// Objects of the pull per list, pages stored by an earlier, interrupted run included.
        public var counts: [String: Int] = [:]
        public var payoutsLinked = 0
        public var links = 0
        /// Pages an interrupted run had already stored, which this one did not fetch again.
        public var resumedPages = 0
    }

    let client: StripeClient
    let store: PayreconStore
    let logger: Logger

    public init(client: StripeClient, store: PayreconStore, logger: Logger) {
        self.client = client; self.store = store; self.logger = logger
    }

    /// The lists of a pull: endpoint, watermark object, extra query.
    static let lists: [(list: String, object: String, query: [(String, String)])] = [
        ("balance_transactions", "balance_transaction", [("expand[]", "data.source")]),
        ("charges", "charge", []),
        ("refunds", "refund", []),
        ("disputes", "dispute", []),
        ("payouts", "payout", []),
    ]

    public func run(_ options: Options, now: Timestamp) async throws -> Summary {
        var checkpoints = try store.extractCheckpoints()
        // A full pull asked for while an incremental one is unfinished starts over; any other resumes.
        let resumable = !checkpoints.isEmpty && (!options.full || checkpoints.allSatisfy { $0.createdGte == nil })
        var summary = Summary()
        if resumable {
            summary.resumedPages = checkpoints.reduce(0) { $0 + $1.pages }
            logger.notice("Resuming an interrupted pull", metadata: ["pages.stored": "\(summary.resumedPages)"])
        } else {
            let watermarks = options.full ? [:] : try store.watermarks()
            checkpoints = Self.lists.map { list in
                ExtractCheckpoint(
                    list: list.list, object: list.object, createdGte: watermarks[list.object].map { $0 - options.lookbackSeconds },
                    createdLt: now.seconds + 1, startedAt: now)
            }
            try store.beginPull(checkpoints)
        }
        let finished = try await withThrowingTaskGroup(of: ExtractCheckpoint.self) { group in
            for checkpoint in checkpoints where !checkpoint.done {
                group.addTask { try await pull(checkpoint, now: now) }
            }
            var finished = checkpoints.filter(\.done)
            for try await checkpoint in group { finished.append(checkpoint) }
            return finished
        }
        for checkpoint in finished { summary.counts[checkpoint.list] = checkpoint.objects }

        // Composition is final once reconciliation_status is completed: fetched for payouts that have none
        // yet or completed since, each written with its transactions (a killed run has the rest still to do).
        let toLink = try store.payoutsToLink()
        let linked = try await linkPayouts(toLink, concurrency: options.concurrency, now: now)
        summary.payoutsLinked = linked.count
        summary.links = linked.reduce(0, +)
        try store.finishPull()
        logger.info(
            "Extracted",
            metadata: ["counts": "\(summary.counts)", "payouts.linked": "\(summary.payoutsLinked)", "pages.resumed": "\(summary.resumedPages)"])
        return summary
    }

    /// Walks one list from its checkpoint to its end, storing page by page.
    private func pull(_ start: ExtractCheckpoint, now: Timestamp) async throws -> ExtractCheckpoint {
        var checkpoint = start
        let query = Self.lists.first { $0.list == start.list }!.query
        var window = query + [("created[lt]", String(start.createdLt))]
        if let gte = start.createdGte { window.append(("created[gte]", String(gte))) }
        let path = "/v1/\(start.list)"
        while !checkpoint.done {
            var data = StripeAccountData()
            let page: (created: [Int64], ids: [String], hasMore: Bool)
            switch start.list {
            case "balance_transactions":
                page = try await fetch(path, window, after: checkpoint.cursor, BalanceTransaction.self) { data.balanceTransactions = $0 }
            case "charges": page = try await fetch(path, window, after: checkpoint.cursor, Charge.self) { data.charges = $0 }
            case "refunds": page = try await fetch(path, window, after: checkpoint.cursor, Refund.self) { data.refunds = $0 }
            case "disputes": page = try await fetch(path, window, after: checkpoint.cursor, Dispute.self) { data.disputes = $0 }
            default: page = try await fetch(path, window, after: checkpoint.cursor, Payout.self) { data.payouts = $0 }
            }
            checkpoint.pages += 1
            checkpoint.objects += page.ids.count
            if checkpoint.maxCreated == nil { checkpoint.maxCreated = page.created.first }
            if let last = page.ids.last { checkpoint.cursor = last }
            if let oldest = page.created.last { checkpoint.cursorCreated = oldest }
            checkpoint.done = !page.hasMore || page.ids.isEmpty
            try store.savePage(data, checkpoint: checkpoint, at: now)
        }
        return checkpoint
    }

    /// One page after `cursor`: handed to `keep`, with its objects' times and ids for the checkpoint.
    private func fetch<T: Codable & Sendable & Identifiable & StripeCreated>(
        _ path: String, _ query: [(String, String)], after cursor: String?, _ type: T.Type, keep: ([T]) -> Void
    ) async throws -> (created: [Int64], ids: [String], hasMore: Bool) where T.ID: CustomStringConvertible {
        let list = try await client.page(path, query: query, after: cursor, of: T.self)
        keep(list.data)
        return (list.data.map(\.created), list.data.map { String(describing: $0.id) }, list.hasMore)
    }

    /// Fetches `?payout=` lists with at most `concurrency` in flight, storing each payout's links and
    /// transactions as it completes; returns the number of links per payout.
    private func linkPayouts(_ payouts: [PayoutID], concurrency: Int, now: Timestamp) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var results: [Int] = []
            var pending = payouts.makeIterator()
            func launch(_ payout: PayoutID) {
                group.addTask {
                    let transactions = try await client.listAll(
                        "/v1/balance_transactions", query: [("payout", payout.rawValue), ("expand[]", "data.source")],
                        of: BalanceTransaction.self)
                    try store.savePayoutLinks(payout, transactions, at: now)
                    return transactions.count
                }
            }
            for _ in 0..<concurrency { if let next = pending.next() { launch(next) } }
            while let result = try await group.next() {
                results.append(result)
                if let next = pending.next() { launch(next) }
            }
            return results
        }
    }
}
