import Core

extension ReconciliationPass {
    /// Pairs ledger refunds with Stripe refunds: by re_ id, then per order by sum (a split refund
    /// booked as one row), then one to one by amount. An order whose ledger refunds exceed its
    /// payment is one over_refund row, and its surplus rows are not also refund_missing_in_stripe.
    mutating func matchRefunds() {
        let stripeRefunds = input.stripe.refunds.filter(\.isEffective).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        let refundsById = Dictionary(stripeRefunds.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var matched = Set<RefundID>()
        var leftover: [OrderID: [LedgerEntry]] = [:]
        var withoutId: [OrderID: [LedgerEntry]] = [:]
        let ledgerRefunds = ledger.filter { $0.kind == .refund }

        for entry in ledgerRefunds {
            guard let id = entry.stripeId, !id.isEmpty else {
                withoutId[entry.orderId, default: []].append(entry)
                continue
            }
            guard let refund = refundsById[RefundID(id)], !matched.contains(refund.id) else {
                leftover[entry.orderId, default: []].append(entry)
                continue
            }
            matched.insert(refund.id)
            if refund.amount != entry.amount.minorUnits || refund.currency != entry.amount.currency {
                flag(Discrepancy(kind: .refundAmountMismatch, subjectId: entry.entryId.rawValue, orderId: entry.orderId.rawValue,
                                 ledgerEntryId: entry.entryId.rawValue, stripeId: id, currency: refund.currency,
                                 expectedCurrency: entry.amount.currency == refund.currency ? nil : entry.amount.currency,
                                 expected: entry.amount.minorUnits, actual: refund.amount, occurredAt: entry.createdAt,
                                 detail: "ledger books \(entry.amount), the refund is \(refund.money)"))
            }
            record(refundMatch(.stripeId, key: id, entries: [entry], refunds: [refund]))
        }

        let refundsByOrder = Dictionary(grouping: stripeRefunds.filter { !matched.contains($0.id) }) { refundOrder($0) }
        for (order, entries) in withoutId.sorted(by: { $0.key < $1.key }) {
            var open = (refundsByOrder[order] ?? []).filter { !matched.contains($0.id) }
            var rows = entries
            // 1. All rows against all refunds of the order, by sum.
            if Self.totalsAgree(rows, open.map(\.money)) {
                record(refundMatch(.refundSum, key: order.rawValue, entries: rows, refunds: open))
                open.forEach { matched.insert($0.id) }
                continue
            }
            // 2. One to one by equal amount, oldest first.
            var unpaired: [LedgerEntry] = []
            for entry in rows {
                if let index = open.firstIndex(where: { $0.amount == entry.amount.minorUnits && $0.currency == entry.amount.currency }) {
                    let refund = open.remove(at: index)
                    matched.insert(refund.id)
                    record(refundMatch(.refundAmount, key: order.rawValue, entries: [entry], refunds: [refund]))
                } else {
                    unpaired.append(entry)
                }
            }
            rows = unpaired
            // 3. What is left, by sum again.
            if Self.totalsAgree(rows, open.map(\.money)) {
                record(refundMatch(.refundSum, key: order.rawValue, entries: rows, refunds: open))
                open.forEach { matched.insert($0.id) }
                rows = []
            }
            leftover[order, default: []].append(contentsOf: rows)
        }

        flagOverRefunds(ledgerRefunds: ledgerRefunds, leftover: &leftover)
        for (_, rows) in leftover.sorted(by: { $0.key < $1.key }) {
            for entry in rows {
                flag(Discrepancy(kind: .refundMissingInStripe, subjectId: entry.entryId.rawValue, orderId: entry.orderId.rawValue,
                                 ledgerEntryId: entry.entryId.rawValue, stripeId: entry.stripeId, currency: entry.amount.currency,
                                 expected: entry.amount.minorUnits, actual: nil, occurredAt: entry.createdAt,
                                 detail: entry.stripeId.map { "no Stripe refund \($0)" } ?? "no Stripe refund of order \(entry.orderId) left to match"))
            }
        }
        for refund in stripeRefunds where !matched.contains(refund.id) {
            flag(Discrepancy(kind: .refundMissingInLedger, subjectId: refund.id.rawValue, orderId: refundOrder(refund).rawValue,
                             ledgerEntryId: nil, stripeId: refund.id.rawValue, currency: refund.currency, expected: nil,
                             actual: refund.amount, occurredAt: refund.createdAt, detail: "Stripe refund has no ledger refund"))
        }
    }

    /// The refund's order: its charge's metadata, else its own metadata, else its id (an orphan).
    func refundOrder(_ refund: Refund) -> OrderID {
        order(ofCharge: refund.charge?.id) ?? refund.metadata?["order_id"].map { OrderID($0) } ?? OrderID(refund.id.rawValue)
    }

    private func refundMatch(_ rule: Match.Rule, key: String, entries: [LedgerEntry], refunds: [Refund]) -> Match {
        let currency = refunds[0].currency
        return Match(rule: rule, key: key, orderId: entries[0].orderId.rawValue, ledgerEntryIds: entries.map(\.entryId.rawValue),
                     stripeIds: refunds.map(\.id.rawValue),
                     ledgerAmount: Money(minorUnits: entries.reduce(0) { $0 + $1.amount.minorUnits }, currency: entries[0].amount.currency),
                     stripeAmount: Money(minorUnits: refunds.reduce(0) { $0 + $1.amount }, currency: currency),
                     occurredAt: refunds.map(\.createdAt).min()!)
    }

    /// One over_refund per order whose ledger refunds add up to more than it was paid; the order's
    /// unmatched rows are its surplus and are removed from `leftover`.
    private mutating func flagOverRefunds(ledgerRefunds: [LedgerEntry], leftover: inout [OrderID: [LedgerEntry]]) {
        let paidByOrder = Dictionary(grouping: ledger.filter { $0.kind == .payment }, by: \.orderId)
        for (order, refunds) in Dictionary(grouping: ledgerRefunds, by: \.orderId).sorted(by: { $0.key < $1.key }) {
            let currency = refunds[0].amount.currency
            let paidEntries = paidByOrder[order] ?? []
            let paid: Int64
            if !paidEntries.isEmpty, paidEntries.allSatisfy({ $0.amount.currency == currency }) {
                paid = paidEntries.reduce(0) { $0 + $1.amount.minorUnits }
            } else if let charges = paymentsByOrder[order], !charges.isEmpty, charges.allSatisfy({ $0.currency == currency }) {
                paid = charges.reduce(0) { $0 + $1.amount }
            } else {
                continue
            }
            guard refunds.allSatisfy({ $0.amount.currency == currency }) else { continue }
            var total: Int64 = 0
            var crossing: LedgerEntry?
            for entry in refunds.sorted(by: { ($0.createdAt, $0.entryId) < ($1.createdAt, $1.entryId) }) {
                total += entry.amount.minorUnits
                if total > paid, crossing == nil { crossing = entry }
            }
            guard let crossing else { continue }
            leftover[order] = nil
            flag(Discrepancy(kind: .overRefund, subjectId: order.rawValue, orderId: order.rawValue, ledgerEntryId: crossing.entryId.rawValue,
                             stripeId: nil, currency: currency, expected: paid, actual: total, occurredAt: crossing.createdAt,
                             detail: "ledger refunds total \(Money(minorUnits: total, currency: currency)) against a payment of \(Money(minorUnits: paid, currency: currency))"))
        }
    }
}
