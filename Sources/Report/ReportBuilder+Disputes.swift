import Core
import Store

extension ReportBuilder {
    static let disputeColumns = [
        "dispute_id", "created", "status", "reason", "order_id", "charge_id", "currency", "amount", "moved_funds", "settlement_currency",
        "withdrawn", "reinstated", "fee", "net_effect",
    ]

    /// Every dispute of the period, inquiries included (listed, never flagged: they moved no money),
    /// with what its balance transactions withdrew, reinstated and charged.
    func disputeTable(_ prefetch: ReportPrefetch) -> ReportTable {
        var table = ReportTable(name: "Disputes", fileName: "disputes.csv", columns: Self.disputeColumns) { emit in
            for summary in try prefetch.facts().disputes {
                let d = summary.dispute
                let settled = { (amount: Int64) -> ReportCell in summary.settlementCurrency.map { .money(amount, $0) } ?? .empty }
                try emit([
                    .text(d.id.rawValue), timeCell(d.createdAt), .text(d.status.rawValue), .optionalText(d.reason),
                    .optionalText(summary.orderId), .optionalText(d.charge?.id), .text(d.currency.code), .money(d.amount, d.currency),
                    .text(Self.movedFunds(summary)), .optionalText(summary.settlementCurrency?.code), settled(summary.withdrawn),
                    settled(summary.reinstated), settled(summary.fee), settled(summary.net),
                ])
            }
        }
        table.deferred = true
        return table
    }

    static func movedFunds(_ summary: DisputeSummary) -> String {
        if summary.dispute.status.isInquiry { return "no (inquiry)" }
        return summary.transactionCount > 0 ? "yes" : "not yet seen"
    }

    /// The Summary's disputes by status and settlement currency (an inquiry's in its own currency, with
    /// nothing moved): count, what went and came back (gross), the fees, and the net effect.
    func disputeRows(_ disputes: [DisputeSummary]) -> [[ReportCell]] {
        struct Key: Hashable, Comparable {
            let status: String
            let currency: Currency
            static func < (a: Key, b: Key) -> Bool { (a.status, a.currency.code) < (b.status, b.currency.code) }
        }
        let groups = Dictionary(grouping: disputes) {
            Key(status: $0.dispute.status.rawValue, currency: $0.settlementCurrency ?? $0.dispute.currency)
        }
        return groups.keys.sorted().map { key in
            let items = groups[key]!
            let sum = { (value: (DisputeSummary) -> Int64) in items.reduce(Int64(0)) { $0 + value($1) } }
            let note = DisputeStatus(rawValue: key.status).isInquiry ? "inquiries: no funds moved, nothing to book" : "withdrawn, reinstated and fees"
            return [
                .text("Disputes"), .text(key.status), .text(key.currency.code), .integer(Int64(items.count)),
                .money(sum { $0.withdrawn + $0.reinstated }, key.currency), .money(sum(\.fee), key.currency), .money(sum(\.net), key.currency),
                .text(note),
            ]
        }
    }
}
