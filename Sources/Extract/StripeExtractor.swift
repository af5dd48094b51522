import Core
import Logging
import Store
import StripeAPI

/// Pulls the account's balance transactions, charges, refunds, disputes and payouts into the
/// store, then each completed payout's composition (`?payout=po_`). Everything fetched is
/// written in one transaction at the end: a failed extraction leaves the store as it was.
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
        public var counts: [String: Int] = [:]
        public var payoutsLinked = 0
        public var links = 0
    }

    let client: StripeClient
    let store: PayreconStore
    let logger: Logger

    public init(client: StripeClient, store: PayreconStore, logger: Logger) {
        self.client = client; self.store = store; self.logger = logger
    }

    public func run(_ options: Options, now: Timestamp) async throws -> Summary {
        let watermarks = options.full ? [:] : try store.watermarks()
        func since(_ object: String) -> [(String, String)] {
            guard let mark = watermarks[object] else { return [] }
            return [("created[gte]", String(mark - options.lookbackSeconds))]
        }
        async let transactions = client.listAll(
            "/v1/balance_transactions", query: since("balance_transaction") + [("expand[]", "data.source")],
            of: BalanceTransaction.self)
        async let charges = client.listAll("/v1/charges", query: since("charge"), of: Charge.self)
        async let refunds = client.listAll("/v1/refunds", query: since("refund"), of: Refund.self)
        async let disputes = client.listAll("/v1/disputes", query: since("dispute"), of: Dispute.self)
        async let payouts = client.listAll("/v1/payouts", query: since("payout"), of: Payout.self)
        var data = StripeAccountData(
            balanceTransactions: try await transactions, charges: try await charges,
            refunds: try await refunds, disputes: try await disputes, payouts: try await payouts)

        // Composition is final once reconciliation_status is completed; fetch it for payouts
        // seen now and for stored payouts that still have none.
        let completed = data.payouts.filter { $0.reconciliationStatus == "completed" }.map(\.id)
        let toLink = Array(Set(completed + (try store.payoutsWithoutLinks()))).sorted()
        let linked = try await fetchCompositions(toLink, concurrency: options.concurrency)
        var known = Set(data.balanceTransactions.map(\.id))
        for (payout, transactions) in linked {
            data.payoutLinks[payout] = transactions.map(\.id)
            for transaction in transactions where known.insert(transaction.id).inserted {
                data.balanceTransactions.append(transaction)
            }
        }

        var marks: [String: Int64] = [:]
        marks["balance_transaction"] = data.balanceTransactions.map(\.created).max()
        marks["charge"] = data.charges.map(\.created).max()
        marks["refund"] = data.refunds.map(\.created).max()
        marks["dispute"] = data.disputes.map(\.created).max()
        marks["payout"] = data.payouts.map(\.created).max()
        try store.saveStripe(data, watermarks: marks, at: now)

        var summary = Summary()
        summary.counts = [
            "balance_transactions": data.balanceTransactions.count, "charges": data.charges.count,
            "refunds": data.refunds.count, "disputes": data.disputes.count, "payouts": data.payouts.count,
        ]
        summary.payoutsLinked = linked.count
        summary.links = linked.reduce(0) { $0 + $1.1.count }
        logger.info("Extracted", metadata: ["counts": "\(summary.counts)", "payouts.linked": "\(summary.payoutsLinked)"])
        return summary
    }

    /// Fetches `?payout=` lists with at most `concurrency` in flight; results in payout order.
    private func fetchCompositions(_ payouts: [PayoutID], concurrency: Int) async throws -> [(PayoutID, [BalanceTransaction])] {
        try await withThrowingTaskGroup(of: (PayoutID, [BalanceTransaction]).self) { group in
            var results: [(PayoutID, [BalanceTransaction])] = []
            var pending = payouts.makeIterator()
            func launch(_ payout: PayoutID) {
                group.addTask {
                    (
                        payout,
                        try await client.listAll(
                            "/v1/balance_transactions",
                            query: [("payout", payout.rawValue), ("expand[]", "data.source")],
                            of: BalanceTransaction.self)
                    )
                }
            }
            for _ in 0..<concurrency { if let next = pending.next() { launch(next) } }
            while let result = try await group.next() {
                results.append(result)
                if let next = pending.next() { launch(next) }
            }
            return results.sorted { $0.0 < $1.0 }
        }
    }
}
