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
                PulledList.allCases.map { list in
                    ExtractCheckpoint(
                        list: list.rawValue, object: list.object, createdGte: watermarks[list.object].map { $0 - options.lookbackSeconds },
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
            summary.refreshed = try await refresh(
                try store.stillChanging(floors: floors), concurrency: options.concurrency, writer: writer, now: now)
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

    /// Each list's whole window and newest object, for a snapshot's manifest.
    static func snapshotWindows(_ windows: [ExtractCheckpoint]) -> [SnapshotManifest.Window] {
        Dictionary(grouping: windows, by: \.list).sorted { $0.key < $1.key }.map { list, windows in
            SnapshotManifest.Window(
                list: list, createdGte: windows.contains { $0.createdGte == nil } ? nil : windows.compactMap(\.createdGte).min(),
                createdLt: windows.map(\.createdLt).max()!, newest: windows.compactMap(\.maxCreated).max())
        }
    }

    /// Walks every window, at most `concurrency` at once; a window with a long way to go splits when a
    /// slot is free, so a long history is fetched in parallel under the one rate limiter.
    private func walk(_ windows: [ExtractCheckpoint], concurrency: Int, writer: PageWriter, snapshot: SnapshotWriter?) async throws
        -> [ExtractCheckpoint]
    {
        let slots = ExtractSlots(limit: concurrency)
        return try await withThrowingTaskGroup(of: WalkEnd.self) { group in
            var waiting = windows.filter { !$0.done }
            var finished = windows.filter(\.done)
            func launch(_ window: ExtractCheckpoint) {
                group.addTask { try await walk(window, slots: slots, writer: writer, snapshot: snapshot) }
            }
            while !waiting.isEmpty, await slots.take() { launch(waiting.removeFirst()) }
            while let end = try await group.next() {
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
        guard let list = PulledList(rawValue: start.list) else { preconditionFailure("a checkpoint of no list: \(start.list)") }
        while !window.done {
            var bounds = list.query + [("created[lt]", String(window.createdLt))]
            if let gte = window.createdGte { bounds.append(("created[gte]", String(gte))) }
            let top = window.cursorCreated ?? window.createdLt
            let body = try await client.pageData(list.path, query: bounds, after: window.cursor)
            // Into the snapshot before the store: a page the store has is always in the snapshot.
            try snapshot?.append(page: body, to: list.rawValue)
            let page = try list.page(body)
            window.pages += 1
            window.objects += page.ids.count
            if window.maxCreated == nil { window.maxCreated = page.created.first }
            if let last = page.ids.last { window.cursor = last }
            if let oldest = page.created.last { window.cursorCreated = oldest }
            window.done = !page.hasMore || page.ids.isEmpty
            try await writer.save(page.data, window)
            guard !window.done, let oldest = page.created.last else { continue }
            // The page covered [oldest, top); the rest reaches down to the window's floor.
            let floor = window.createdGte ?? Self.stripeEpoch
            let covered = max(1, top - oldest)
            guard oldest - floor > 4 * covered, await slots.take() else { continue }
            let middle = floor + (oldest - floor) / 2
            var kept = window
            kept.createdGte = middle
            let raised = kept
            let split = ExtractCheckpoint(
                list: window.list, object: window.object, createdGte: window.createdGte, createdLt: middle, startedAt: window.startedAt)
            let older = try await writer.perform { try store.splitWindow(raised, split) }
            return .split(kept, older)
        }
        return .done(window)
    }

    /// Retrieves each object (`GET /v1/<list>/<id>`), at most `concurrency` at once, and stores it.
    private func refresh(_ due: [(list: String, id: String)], concurrency: Int, writer: PageWriter, now: Timestamp) async throws -> Int {
        let decoder = JSONDecoder()
        _ = try await forEach(due, concurrently: concurrency) { item in
            guard let list = PulledList(rawValue: item.list) else { return }
            let path = "\(list.path)/\(item.id)"
            var data = StripeAccountData()
            do { try list.append(try await client.objectData(path), to: &data, decoder: decoder) } catch let error as DecodingError {
                throw StripeError(
                    status: 200, type: "decoding_error", code: nil, message: "unexpected response shape: \(DecodingProblem.describe(error))",
                    path: path, requestId: nil)
            }
            let refreshed = data
            try await writer.perform { try store.saveStripe(refreshed, at: now) }
        }
        return due.count
    }

    /// A payout's transactions, every page of `?payout=`; to the snapshot too, as Stripe sent them.
    private func composition(of payout: PayoutID, snapshot: SnapshotWriter?) async throws -> [BalanceTransaction] {
        let list = PulledList.balanceTransactions
        let query = [("payout", payout.rawValue)] + list.query
        var transactions: [BalanceTransaction] = []
        var bodies: [Data] = []
        var cursor: String?
        repeat {
            let body = try await client.pageData(list.path, query: query, after: cursor)
            let page = try list.page(body)
            if snapshot != nil { bodies.append(body) }
            transactions += page.data.balanceTransactions
            cursor = page.hasMore ? page.ids.last : nil
        } while cursor != nil
        try snapshot?.append(payout: payout, transactions: bodies)
        return transactions
    }

    /// Fetches `?payout=` lists with at most `concurrency` in flight, storing each payout's links and
    /// transactions as it completes; returns the number of links per payout.
    private func linkPayouts(
        _ payouts: [PayoutID], concurrency: Int, writer: PageWriter, snapshot: SnapshotWriter?, now: Timestamp
    ) async throws -> [Int] {
        try await forEach(payouts, concurrently: concurrency) { payout in
            let transactions = try await composition(of: payout, snapshot: snapshot)
            try await writer.perform { try store.saveLinks([payout: transactions.map(\.id)], transactions: transactions, at: now) }
            return transactions.count
        }
    }
}
