import Core
import Dispatch
import Store

/// The report's queries other than the matches (payout sums, balance totals, ledger counts, the data's
/// freshness: 3 s at a million orders), run on a connection and a thread of their own while the Matched
/// sheet streams from the store on the caller's.
final class ReportPrefetch: @unchecked Sendable {
    struct Facts: Sendable {
        let payouts: [PayoutSummary]
        let categories: [CategoryTotal]
        let ledgerCounts: [String: Int]
        let provenance: ExportProvenance
        let runs: [RunRecord]
        let disputes: [DisputeSummary]
    }

    private let done = DispatchSemaphore(value: 0)
    /// Written once before `done` is signalled, read only after waiting on it.
    private var result: Result<Facts, StoreError>?

    init(store: PayreconStore, period: ReportingPeriod) {
        DispatchQueue(label: "payrecon.report-prefetch").async { [self] in
            result = Result { () throws(StoreError) -> Facts in
                // A second connection, so these reads run beside the matches' (WAL lets readers share the file).
                let reader = (try? PayreconStore(path: store.path, create: false)) ?? store
                return Facts(
                    payouts: try reader.payoutSummaries(from: period.start, to: period.end),
                    categories: try reader.categoryTotals(from: period.start, to: period.end),
                    ledgerCounts: try reader.ledgerCounts(from: period.start, to: period.end),
                    provenance: try reader.exportProvenance(), runs: try reader.runs(),
                    disputes: try reader.disputeSummaries(from: period.start, to: period.end))
            }
            done.signal()
        }
    }

    /// Waits for the queries (at once, after the first wait).
    func facts() throws(StoreError) -> Facts {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
