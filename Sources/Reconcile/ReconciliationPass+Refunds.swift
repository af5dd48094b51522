import Core
import Facts

extension ReconciliationPass {
    /// Pairs ledger refunds with Stripe refunds: by re_ id, then per order by sum (a split refund
    /// booked as one row), then one to one by amount. An order whose ledger refunds exceed its
    /// payment is one over_refund row, and its surplus rows are not also refund_missing_in_stripe.
    mutating func matchRefunds() {
        let refunds = facts.refunds
        let stripeRefunds = Self.sorted(
            refunds, time: \.created,
            tie: { ids.precedes(refunds[$0].id, refunds[$1].id) }
        ).filter { refunds[$0].isEffective && !releasesAnAuthorization(refunds[$0]) }
        // Failed and canceled refunds returned nothing; they only explain a ledger refund left without one.
        var undone: [FactID: RefundIndex] = [:]
        for r in refunds.indices.map(RefundIndex.init) where !refunds[r].isEffective {
            undone[refunds[r].id] = r
            undone[refundOrder(refunds[r])] = r
        }
        var refundById = IdMap<RefundIndex>(repeating: .none, count: ids.count)
        for r in stripeRefunds.reversed() { refundById[refunds[r].id] = r }
        var matched = FactColumn<ReconcileFacts.Refund, Bool>(repeating: false, count: refunds.count)
        var leftover: [FactID: [LedgerIndex]] = [:]
        var withoutId: [LedgerIndex] = []
        let ledger = facts.ledger
        let ledgerRefunds = ledgerOrder.filter { ledger[$0].kind == .refund }
        matches.reserveCapacity(ledgerRefunds.count)

        for e in ledgerRefunds {
            let entry = ledger[e]
            guard entry.stripeId != IdTable.none else { withoutId.append(e); continue }
            let r = refundById[entry.stripeId]
            guard !r.isNone, !matched[r] else { leftover[entry.order, default: []].append(e); continue }
            matched[r] = true
            let refund = refunds[r]
            if refund.amount != entry.amount || refund.currency != entry.currency {
                flag(
                    Discrepancy(
                        kind: .refundAmountMismatch, subjectId: ids.string(entry.entry), orderId: ids.string(entry.order),
                        ledgerEntryId: ids.string(entry.entry), stripeId: ids.string(entry.stripeId), currency: refund.currency,
                        expectedCurrency: entry.currency == refund.currency ? nil : entry.currency,
                        expected: entry.amount, actual: refund.amount, occurredAt: entry.timestamp,
                        detail: "ledger books \(entry.money), the refund is \(refund.money)"))
            }
            recordRefunds(.stripeId, key: entry.stripeId, entries: CollectionOfOne(e), refunds: CollectionOfOne(r))
        }

        let open = stripeRefunds.filter { !matched[$0] }
        let refundsByOrder = Groups(open, keyCount: ids.count, itemCount: refunds.count) { refundOrder(refunds[$0]) }
        let byOrder = Groups(withoutId, keyCount: ids.count, itemCount: ledger.count) { ledger[$0].order }
        for e in withoutId where byOrder.first(ledger[e].order) == e {
            let order = ledger[e].order
            var open = refundsByOrder.items(order).filter { !matched[$0] }
            var rows = Array(byOrder.items(order))
            // 1. All rows against all refunds of the order, by sum.
            if totalsAgree(rows, open.map { refunds[$0].money }) {
                recordRefunds(.refundSum, key: order, entries: rows, refunds: open)
                for r in open { matched[r] = true }
                continue
            }
            // 2. One to one by equal amount, oldest first.
            var unpaired: [LedgerIndex] = []
            for row in rows {
                let entry = ledger[row]
                if let index = open.firstIndex(where: { refunds[$0].amount == entry.amount && refunds[$0].currency == entry.currency }) {
                    let r = open.remove(at: index)
                    matched[r] = true
                    recordRefunds(.refundAmount, key: order, entries: CollectionOfOne(row), refunds: CollectionOfOne(r))
                } else {
                    unpaired.append(row)
                }
            }
            rows = unpaired
            // 3. What is left, by sum again.
            if totalsAgree(rows, open.map { refunds[$0].money }) {
                recordRefunds(.refundSum, key: order, entries: rows, refunds: open)
                for r in open { matched[r] = true }
                rows = []
            }
            if !rows.isEmpty { leftover[order, default: []].append(contentsOf: rows) }
        }

        flagOverRefunds(ledgerRefunds: ledgerRefunds, leftover: &leftover)
        for order in leftover.keys.sorted(by: ids.precedes) {
            for e in leftover[order]! {
                let entry = ledger[e]
                flag(
                    Discrepancy(
                        kind: .refundMissingInStripe, subjectId: ids.string(entry.entry), orderId: ids.string(entry.order),
                        ledgerEntryId: ids.string(entry.entry), stripeId: ids.optionalString(entry.stripeId), currency: entry.currency,
                        expected: entry.amount, actual: nil, occurredAt: entry.timestamp,
                        detail: undone[entry.stripeId != IdTable.none ? entry.stripeId : entry.order].map(undoneNote)
                            ?? (entry.stripeId == IdTable.none
                                ? "no Stripe refund of order \(ids.string(entry.order)) left to match"
                                : "no Stripe refund \(ids.string(entry.stripeId))")))
            }
        }
        for r in stripeRefunds where !matched[r] {
            let refund = refunds[r]
            flag(
                Discrepancy(
                    kind: .refundMissingInLedger, subjectId: ids.string(refund.id), orderId: ids.string(refundOrder(refund)),
                    ledgerEntryId: nil, stripeId: ids.string(refund.id), currency: refund.currency, expected: nil,
                    actual: refund.amount, occurredAt: refund.timestamp, detail: "Stripe refund has no ledger refund"))
        }
    }

    /// Cancelling an authorization that was never captured refunds it in Stripe's books: the hold on the
    /// card is released, no money comes back, and no ledger refund is owed.
    private func releasesAnAuthorization(_ refund: ReconcileFacts.Refund) -> Bool { charge(refund.charge)?.isAuthorization ?? false }

    /// Why a ledger refund has no Stripe refund when the one Stripe made failed or was canceled.
    private func undoneNote(_ r: RefundIndex) -> String {
        let refund = facts.refunds[r]
        let what = refund.outcome == .failed ? "failed (the funds came back to the balance)" : "was canceled"
        return "the Stripe refund \(ids.string(refund.id)) of \(refund.money) \(what): the buyer got nothing back"
    }

    /// The refund's order: its charge's metadata, else its own metadata, else its id (an orphan).
    func refundOrder(_ refund: ReconcileFacts.Refund) -> FactID {
        let byCharge = order(ofCharge: refund.charge)
        if byCharge != IdTable.none { return byCharge }
        return refund.metadataOrder != IdTable.none ? refund.metadataOrder : refund.id
    }

    private mutating func recordRefunds(
        _ rule: Match.Rule, key: FactID, entries: some Collection<LedgerIndex>,
        refunds: some Collection<RefundIndex>
    ) {
        let first = facts.ledger[entries.first!]
        let stripe = refunds.map { facts.refunds[$0] }
        record(
            rule, key: key, order: first.order, ledger: entries, stripe: stripe.map(\.id),
            ledgerAmount: Money(minorUnits: entries.reduce(0) { $0 + facts.ledger[$1].amount }, currency: first.currency),
            stripeAmount: Money(minorUnits: stripe.reduce(0) { $0 + $1.amount }, currency: stripe[0].currency),
            occurredAt: stripe.map(\.created).min()!.timestamp)
    }

    /// One over_refund per order whose ledger refunds add up to more than it was paid; the order's
    /// unmatched rows are its surplus and are removed from `leftover`.
    private mutating func flagOverRefunds(ledgerRefunds: [LedgerIndex], leftover: inout [FactID: [LedgerIndex]]) {
        let ledger = facts.ledger
        let refundsByOrder = Groups(ledgerRefunds, keyCount: ids.count, itemCount: ledger.count) { ledger[$0].order }
        // Only the payments of refunded orders are grouped: a tenth of the ledger, not all of it.
        let paidByOrder = Groups(
            ledgerOrder.filter { ledger[$0].kind == .payment && refundsByOrder.first(ledger[$0].order) != nil },
            keyCount: ids.count, itemCount: ledger.count
        ) { ledger[$0].order }
        for first in ledgerRefunds where refundsByOrder.first(ledger[first].order) == first {
            let order = ledger[first].order
            let currency = ledger[first].currency
            let paid: Int64
            if let booked = Self.total(of: paidByOrder.items(order), in: currency, { (ledger[$0].currency, ledger[$0].amount) }) {
                paid = booked
            } else if let charged = Self.total(
                of: paymentsByOrder.items(order), in: currency,
                {
                    (facts.charges[$0].currency, facts.charges[$0].amount)
                })
            {
                paid = charged
            } else {
                continue
            }
            guard refundsByOrder.items(order).allSatisfy({ ledger[$0].currency == currency }) else { continue }
            var total: Int64 = 0
            var crossing: LedgerIndex?
            for e in refundsByOrder.items(order) { // oldest first, as `ledgerOrder`
                total += ledger[e].amount
                if total > paid, crossing == nil { crossing = e }
            }
            guard let crossing else { continue }
            leftover[order] = nil
            let entry = ledger[crossing]
            flag(
                Discrepancy(
                    kind: .overRefund, subjectId: ids.string(order), orderId: ids.string(order), ledgerEntryId: ids.string(entry.entry),
                    stripeId: nil, currency: currency, expected: paid, actual: total, occurredAt: entry.timestamp,
                    detail: "ledger refunds total \(Money(minorUnits: total, currency: currency)) against a payment of "
                        + "\(Money(minorUnits: paid, currency: currency))"))
        }
    }

    /// The sum of `items`' amounts when there is at least one and all are in `currency`; nil otherwise.
    private static func total<Fact>(of items: Groups<Fact>.Chain, in currency: Currency, _ amount: (FactIndex<Fact>) -> (Currency, Int64))
        -> Int64?
    {
        var sum: Int64 = 0
        var any = false
        for item in items {
            let (itemCurrency, value) = amount(item)
            guard itemCurrency == currency else { return nil }
            sum += value
            any = true
        }
        return any ? sum : nil
    }
}
