import Core
import Store

extension ReportBuilder {
    /// What only Stripe has (money the books do not show), what only the ledger has, and fees that
    /// differ from the schedule: the discrepancies an accountant works through, one sheet per question.
    static let stripeOnlyKinds: [DiscrepancyKind] = [.missingInLedger, .refundMissingInLedger, .disputeUnrecorded, .duplicateCharge]
    static let ledgerOnlyKinds: [DiscrepancyKind] = [.missingInStripe, .refundMissingInStripe]

    func stripeOnlyTable(_ items: [TrackedDiscrepancy]) -> ReportTable {
        var table = ReportTable(
            name: "Stripe-only", fileName: "stripe_only.csv",
            columns: ["stripe_id", "kind", "order_id", "currency", "amount", "occurred_at", "status", "age_days", "discrepancy_id"])
        for item in items where Self.stripeOnlyKinds.contains(item.discrepancy.kind) {
            let d = item.discrepancy
            table.rows.append([
                .optionalText(d.stripeId), .text(d.kind.rawValue), .optionalText(d.orderId), .text(d.currency.code),
                .optionalMoney(d.actual ?? d.expected, d.currency), timeCell(d.occurredAt), .text(item.status.rawValue),
                .integer(item.ageDays(now: now)), .text(d.id),
            ])
        }
        return table
    }

    func ledgerOnlyTable(_ items: [TrackedDiscrepancy]) -> ReportTable {
        var table = ReportTable(
            name: "Ledger-only", fileName: "ledger_only.csv",
            columns: ["ledger_entry_id", "kind", "order_id", "currency", "amount", "occurred_at", "status", "age_days", "discrepancy_id"])
        for item in items where Self.ledgerOnlyKinds.contains(item.discrepancy.kind) {
            let d = item.discrepancy
            let currency = d.expectedCurrency ?? d.currency
            table.rows.append([
                .optionalText(d.ledgerEntryId), .text(d.kind.rawValue), .optionalText(d.orderId), .text(currency.code),
                .optionalMoney(d.expected ?? d.actual, currency), timeCell(d.occurredAt), .text(item.status.rawValue),
                .integer(item.ageDays(now: now)), .text(d.id),
            ])
        }
        return table
    }

    func feesTable(_ items: [TrackedDiscrepancy]) -> ReportTable {
        var table = ReportTable(
            name: "Fees", fileName: "fees.csv",
            columns: [
                "stripe_id", "order_id", "currency", "expected_fee", "actual_fee", "difference", "occurred_at", "status", "note", "discrepancy_id",
            ])
        for item in items where item.discrepancy.kind == .feeMismatch {
            let d = item.discrepancy
            table.rows.append([
                .optionalText(d.stripeId), .optionalText(d.orderId), .text(d.currency.code), .optionalMoney(d.expected, d.currency),
                .optionalMoney(d.actual, d.currency), .optionalMoney(d.difference, d.currency), timeCell(d.occurredAt),
                .text(item.status.rawValue), .text(d.detail), .text(d.id),
            ])
        }
        return table
    }

    /// What an accountant must act on first: open, then pending, then resolved; within each the most
    /// severe, then the oldest.
    static func actionOrder(_ a: TrackedDiscrepancy, _ b: TrackedDiscrepancy) -> Bool {
        let rank: [TrackedDiscrepancy.Status: Int] = [.open: 0, .pending: 1, .resolved: 2, .closed: 3]
        if a.status != b.status { return rank[a.status]! < rank[b.status]! }
        if a.discrepancy.severity != b.discrepancy.severity { return a.discrepancy.severity > b.discrepancy.severity }
        if a.firstSeen != b.firstSeen { return a.firstSeen < b.firstSeen }
        return a.discrepancy.id < b.discrepancy.id
    }
}
