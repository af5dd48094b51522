import Core
import Foundation
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
        /// A folder that also receives every object as Stripe returned it (`SnapshotWriter`).
        public var snapshotOut: String?

        public init(
            full: Bool = false, concurrency: Int = 4, lookbackSeconds: Int64 = Defaults.extractLookbackSeconds, snapshotOut: String? = nil
        ) {
            self.full = full; self.concurrency = max(1, concurrency); self.lookbackSeconds = lookbackSeconds; self.snapshotOut = snapshotOut
        }
    }

    public struct Summary: Sendable, Equatable {
        /// Objects of the pull per list, pages stored by an earlier, interrupted run included.
        public var counts: [String: Int] = [:]
        public var payoutsLinked = 0
        public var links = 0
        /// Pages an interrupted run had already stored, which this one did not fetch again.
        public var resumedPages = 0
        /// List pages the pull needed (its windows', resumed ones included; payout compositions aside).
        public var pages = 0
        /// Pages the payout compositions needed (a payout of 250 transactions: 3).
        public var compositionPages = 0
        /// The windows the lists were walked in.
        public var windows = 0
        /// HTTP requests this run sent, retries included.
        public var requests = 0
        /// Objects older than an incremental pull's windows that were read again because they can still change.
        public var refreshed = 0
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
        let requestsBefore = client.requestsSent
        try store.widenCache(mebibytes: 384)
        // The stages after a pull in the same process (reconcile) count their memory with the usual cache.
        defer { try? store.widenCache(mebibytes: 64) }
        var windows = try store.extractCheckpoints()
        // A full pull asked for while an incremental one is unfinished starts over; any other resumes. (A
        // full pull's oldest window of every list reaches down to the beginning: no lower bound.)
        let pullWasFull = Set(windows.map(\.list)) == Set(windows.filter { $0.createdGte == nil }.map(\.list))
        let resumable = !windows.isEmpty && (!options.full || pullWasFull)
        var summary = Summary()
        if resumable {
            summary.resumedPages = windows.reduce(0) { $0 + $1.pages }
            logger.notice("Resuming an interrupted pull", metadata: ["pages.stored": "\(summary.resumedPages)"])
        } else {
            let watermarks = options.full ? [:] : try store.watermarks()
            windows = try store.beginPull(
                Self.lists.map { list in
                    ExtractCheckpoint(
                        list: list.list, object: list.object, createdGte: watermarks[list.object].map { $0 - options.lookbackSeconds },
                        createdLt: now.seconds + 1, startedAt: now)
                })
        }
        let writer = PageWriter(store: store, now: now)
        let snapshot = try options.snapshotOut.map { try SnapshotWriter(folder: $0) }
        let finished = try await walk(windows, concurrency: options.concurrency, writer: writer, snapshot: snapshot)
        logger.info("Lists pulled", metadata: ["windows": "\(finished.count)", "requests": "\(client.requestsSent - requestsBefore)"])
        for window in finished { summary.counts[window.list, default: 0] += window.objects }
        summary.pages = finished.reduce(0) { $0 + $1.pages }
        summary.windows = finished.count

        // An incremental pull's windows start at the watermark less the lookback: what is older and can still
        // change (a payout in transit, an open dispute, a pending refund, a charge refunded since) is read again.
        var floors: [String: Int64] = [:]
        for (list, windows) in Dictionary(grouping: finished, by: \.list) where windows.allSatisfy({ $0.createdGte != nil }) {
            floors[list] = windows.compactMap(\.createdGte).min()
        }
        if !floors.isEmpty {
            summary.refreshed = try await refresh(try store.stillChanging(floors: floors), concurrency: options.concurrency, writer: writer)
        }

        // Composition is final once reconciliation_status is completed: fetched for payouts that have none
        // yet or completed since, each written with its transactions (a killed run has the rest still to do).
        let toLink = try store.payoutsToLink()
        let linked = try await linkPayouts(toLink, concurrency: options.concurrency, writer: writer, snapshot: snapshot, now: now)
        summary.payoutsLinked = linked.count
        summary.links = linked.reduce(0, +)
        summary.compositionPages = linked.reduce(0) { $0 + max(1, ($1 + 99) / 100) }
        try snapshot?.finish(windows: Self.snapshotWindows(finished))
        try store.finishPull()
        summary.requests = client.requestsSent - requestsBefore
        logger.info(
            "Extracted",
            metadata: [
                "counts": "\(summary.counts)", "payouts.linked": "\(summary.payoutsLinked)", "pages.resumed": "\(summary.resumedPages)",
                "windows": "\(finished.count)",
            ])
        return summary
    }

    /// What a walk ended with: its window done, or split in two (both to walk on).
    enum WalkEnd: Sendable {
        case done(ExtractCheckpoint)
        case split(ExtractCheckpoint, ExtractCheckpoint)
    }

    /// Walks every window, at most `concurrency` at once; a window with a long way to go splits when a
    /// slot is free, so a long history is fetched in parallel under the one rate limiter.
    /// Each list's whole window and newest object, for a snapshot's manifest.
    static func snapshotWindows(_ windows: [ExtractCheckpoint]) -> [SnapshotManifest.Window] {
        Dictionary(grouping: windows, by: \.list).sorted { $0.key < $1.key }.map { list, windows in
            SnapshotManifest.Window(
                list: list, createdGte: windows.contains { $0.createdGte == nil } ? nil : windows.compactMap(\.createdGte).min(),
                createdLt: windows.map(\.createdLt).max()!, newest: windows.compactMap(\.maxCreated).max())
        }
    }

    private func walk(_ windows: [ExtractCheckpoint], concurrency: Int, writer: PageWriter, snapshot: SnapshotWriter?) async throws
        -> [ExtractCheckpoint]
    {
        let slots = ExtractSlots(limit: concurrency)
        return try await withThrowingTaskGroup(of: WalkEnd.self) { group in
            var waiting = windows.filter { !$0.done }
            var finished = windows.filter(\.done)
            var running = 0
            func launch(_ window: ExtractCheckpoint) {
                running += 1
                group.addTask { try await walk(window, slots: slots, writer: writer, snapshot: snapshot) }
            }
            while running < concurrency, !waiting.isEmpty, await slots.take() { launch(waiting.removeFirst()) }
            while let end = try await group.next() {
                running -= 1
                switch end {
                case .done(let window):
                    finished.append(window)
                    await slots.release()
                case .split(let kept, let older):
                    // The walking window keeps its slot; the split-off one has the slot it reserved.
                    launch(kept)
                    launch(older)
                }
                while !waiting.isEmpty, await slots.take() { launch(waiting.removeFirst()) }
            }
            return finished
        }
    }

    /// The oldest a Stripe object can be (2011-01-01): the floor of a full pull's oldest window.
    static let stripeEpoch: Int64 = 1_293_840_000

    /// Walks one window from its checkpoint, storing page by page, until it is done or splits: when the
    /// part still to walk looks more than four pages long and a slot is free, its older half becomes a
    /// window of its own.
    private func walk(_ start: ExtractCheckpoint, slots: ExtractSlots, writer: PageWriter, snapshot: SnapshotWriter?) async throws -> WalkEnd {
        var window = start
        let query = Self.lists.first { $0.list == start.list }!.query
        let path = "/v1/\(start.list)"
        while !window.done {
            var bounds = query + [("created[lt]", String(window.createdLt))]
            if let gte = window.createdGte { bounds.append(("created[gte]", String(gte))) }
            let top = window.cursorCreated ?? window.createdLt
            var data = StripeAccountData()
            let page: (created: [Int64], ids: [String], hasMore: Bool)
            switch start.list {
            case "balance_transactions":
                page = try await fetch(path, bounds, after: window.cursor, BalanceTransaction.self, snapshot) { data.balanceTransactions = $0 }
            case "charges": page = try await fetch(path, bounds, after: window.cursor, Charge.self, snapshot) { data.charges = $0 }
            case "refunds": page = try await fetch(path, bounds, after: window.cursor, Refund.self, snapshot) { data.refunds = $0 }
            case "disputes": page = try await fetch(path, bounds, after: window.cursor, Dispute.self, snapshot) { data.disputes = $0 }
            default: page = try await fetch(path, bounds, after: window.cursor, Payout.self, snapshot) { data.payouts = $0 }
            }
            window.pages += 1
            window.objects += page.ids.count
            if window.maxCreated == nil { window.maxCreated = page.created.first }
            if let last = page.ids.last { window.cursor = last }
            if let oldest = page.created.last { window.cursorCreated = oldest }
            window.done = !page.hasMore || page.ids.isEmpty
            try await writer.save(data, window)
            guard !window.done, let oldest = page.created.last else { continue }
            // The page covered [oldest, top); the rest reaches down to the window's floor.
            let floor = window.createdGte ?? Self.stripeEpoch
            let covered = max(1, top - oldest)
            guard oldest - floor > 4 * covered, await slots.take() else { continue }
            let middle = floor + (oldest - floor) / 2
            var kept = window
            kept.createdGte = middle
            let split = ExtractCheckpoint(
                list: window.list, object: window.object, createdGte: window.createdGte, createdLt: middle, startedAt: window.startedAt)
            let older = OlderWindow()
            let raised = kept
            try await writer.perform { older.window = try store.splitWindow(raised, split) }
            return .split(kept, older.window!)
        }
        return .done(window)
    }

    /// One page after `cursor`: handed to `keep` (and, as Stripe sent it, to the snapshot), with its
    /// objects' times and ids for the checkpoint.
    private func fetch<T: Codable & Sendable & Identifiable & StripeCreated>(
        _ path: String, _ query: [(String, String)], after cursor: String?, _ type: T.Type, _ snapshot: SnapshotWriter?,
        keep: ([T]) -> Void
    ) async throws -> (created: [Int64], ids: [String], hasMore: Bool) where T.ID: CustomStringConvertible {
        let list: StripeList<T>
        if let snapshot {
            let body = try await client.pageData(path, query: query, after: cursor)
            try snapshot.append(page: body, to: String(path.dropFirst("/v1/".count)))
            list = try StripeClient.decodePage(body, path: path)
        } else {
            list = try await client.page(path, query: query, after: cursor, of: T.self)
        }
        keep(list.data)
        return (list.data.map(\.created), list.data.map { String(describing: $0.id) }, list.hasMore)
    }

    /// Retrieves each object (`GET /v1/<list>/<id>`), at most `concurrency` at once, and stores it.
    private func refresh(_ due: [(list: String, id: String)], concurrency: Int, writer: PageWriter) async throws -> Int {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = due.makeIterator()
            func launch(_ item: (list: String, id: String)) {
                group.addTask {
                    let path = "/v1/\(item.list)/\(item.id)"
                    var data = StripeAccountData()
                    switch item.list {
                    case "payouts": data.payouts = [try await client.get(path, as: Payout.self)]
                    case "disputes": data.disputes = [try await client.get(path, as: Dispute.self)]
                    case "refunds": data.refunds = [try await client.get(path, as: Refund.self)]
                    default: data.charges = [try await client.get(path, as: Charge.self)]
                    }
                    let refreshed = data
                    try await writer.perform { try store.saveStripe(refreshed, at: Timestamp(seconds: 0)) }
                }
            }
            for _ in 0..<concurrency { if let next = pending.next() { launch(next) } }
            while try await group.next() != nil { if let next = pending.next() { launch(next) } }
            return due.count
        }
    }

    /// A payout's transactions, every page of `?payout=`; to the snapshot too, as Stripe sent them.
    private func composition(of payout: PayoutID, snapshot: SnapshotWriter?) async throws -> [BalanceTransaction] {
        let path = "/v1/balance_transactions"
        let query = [("payout", payout.rawValue), ("expand[]", "data.source")]
        guard let snapshot else { return try await client.listAll(path, query: query, of: BalanceTransaction.self) }
        var transactions: [BalanceTransaction] = []
        var bodies: [Data] = []
        var cursor: String?
        repeat {
            let body = try await client.pageData(path, query: query, after: cursor)
            let page: StripeList<BalanceTransaction> = try StripeClient.decodePage(body, path: path)
            bodies.append(body)
            transactions += page.data
            cursor = page.hasMore ? page.data.last?.id.rawValue : nil
        } while cursor != nil
        try snapshot.append(payout: payout, transactions: bodies)
        return transactions
    }

    /// Fetches `?payout=` lists with at most `concurrency` in flight, storing each payout's links and
    /// transactions as it completes; returns the number of links per payout.
    private func linkPayouts(
        _ payouts: [PayoutID], concurrency: Int, writer: PageWriter, snapshot: SnapshotWriter?, now: Timestamp
    ) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var results: [Int] = []
            var pending = payouts.makeIterator()
            func launch(_ payout: PayoutID) {
                group.addTask {
                    let transactions = try await composition(of: payout, snapshot: snapshot)
                    try await writer.perform { try store.savePayoutLinks(payout, transactions, at: now) }
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

/// The window `splitWindow` stored, handed back from the writer's thread.
private final class OlderWindow: @unchecked Sendable {
    var window: ExtractCheckpoint?
}
