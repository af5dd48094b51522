import Core
import Store

extension ReportBuilder {
    /// What only Stripe has (money the books do not show), what only the ledger has, and fees that
    /// differ from the schedule: the discrepancies an accountant works through, one sheet per question.
    static let stripeOnlyKinds: [DiscrepancyKind] = [.missingInLedger, .refundMissingInLedger, .disputeUnrecorded, .duplicateCharge]
    static let ledgerOnlyKinds: [DiscrepancyKind] = [.missingInStripe, .refundMissingInStripe]

    func stripeOnlyTable(_ items: [TrackedDiscrepancy]) -> ReportTable {
        oneSided(items, name: "Stripe-only", fileName: "stripe_only.csv", idColumn: "stripe_id", kinds: Self.stripeOnlyKinds) { d in
            (d.stripeId, d.currency, d.actual ?? d.expected)
        }
    }

    func ledgerOnlyTable(_ items: [TrackedDiscrepancy]) -> ReportTable {
        oneSided(items, name: "Ledger-only", fileName: "ledger_only.csv", idColumn: "ledger_entry_id", kinds: Self.ledgerOnlyKinds) { d in
            (d.ledgerEntryId, d.expectedCurrency ?? d.currency, d.expected ?? d.actual)
        }
    }

    /// Money one side has and the other does not: the side's id, and its currency and amount.
    private func oneSided(
        _ items: [TrackedDiscrepancy], name: String, fileName: String, idColumn: String, kinds: [DiscrepancyKind],
        _ side: (Discrepancy) -> (id: String?, currency: Currency, amount: Int64?)
    ) -> ReportTable {
        var table = ReportTable(
            name: name, fileName: fileName,
            columns: [idColumn, "kind", "order_id", "currency", "amount", "occurred_at", "status", "age_days", "discrepancy_id"])
        for item in items where kinds.contains(item.discrepancy.kind) {
            let d = item.discrepancy
            let (id, currency, amount) = side(d)
            table.rows.append([
                .optionalText(id), .text(d.kind.rawValue), .optionalText(d.orderId), .text(currency.code), .optionalMoney(amount, currency),
                timeCell(d.occurredAt), .text(item.status.rawValue), .integer(item.ageDays(now: now)), .text(d.id),
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
