import Core
import Facts

extension ReconciliationPass {
    /// Pairs ledger payments with payment charges: by Stripe id first (ch_, or pi_ whose succeeded
    /// charge it is), then by metadata.order_id, oldest with oldest. A charge left over in an order
    /// that is already paid is a duplicate_charge; any other is missing_in_ledger.
    mutating func matchPayments() {
        var withoutId: [LedgerIndex] = []
        // At most one match per ledger payment.
        matches.reserveCapacity(facts.ledger.count { $0.kind == .payment })
        for e in ledgerOrder where facts.ledger[e].kind == .payment {
            let entry = facts.ledger[e]
            guard entry.stripeId != IdTable.none else { withoutId.append(e); continue }
            if let c = paymentCharge(forStripeId: entry.stripeId) {
                pair(e, c, rule: .stripeId, key: entry.stripeId)
            } else {
                flag(missingInStripe(entry, why: "no succeeded charge for \(ids.string(entry.stripeId))", authorization: entry.stripeId))
            }
        }
        let ledger = facts.ledger
        let byOrder = Groups(withoutId, keyCount: ids.count, itemCount: ledger.count) { ledger[$0].order }
        var unmatched: [LedgerIndex] = []
        // Orders in the order of their oldest row without id.
        for e in withoutId where byOrder.first(ledger[e].order) == e {
            let order = ledger[e].order
            let entries = Array(byOrder.items(order))
            let candidates = paymentsByOrder.items(order).filter { !matchedCharge[$0] }
            // One order paid by several charges (or booked as several rows) matches as a group when the sums agree.
            if entries.count != candidates.count, totalsAgree(entries, candidates.map { facts.charges[$0].money }) {
                pairGroup(entries, candidates, order: order)
                continue
            }
            // A row takes the charge of its own amount if there is one, else the oldest left:
            // rows of 60 and 40 against charges of 40 and 60 are two matches, not two mismatches.
            var remaining = candidates
            for entry in entries {
                guard !remaining.isEmpty else { unmatched.append(entry); continue }
                let row = ledger[entry]
                let index = remaining.firstIndex { facts.charges[$0].amount == row.amount && facts.charges[$0].currency == row.currency } ?? 0
                pair(entry, remaining.remove(at: index), rule: .metadataOrderId, key: order)
            }
        }
        for e in unmatched {
            let entry = ledger[e]
            if let c = chargeInWindow(for: entry) {
                pair(e, c, rule: .amountTimeWindow, key: IdTable.none)
            } else {
                flag(
                    missingInStripe(
                        entry, why: "no succeeded charge with metadata.order_id \(ids.string(entry.order)), nor one of \(entry.money) near its time",
                        authorization: entry.order))
            }
        }
        flagUnmatchedCharges()
    }

    /// Last resort for a row without Stripe id whose order has no charge: an unmatched charge without
    /// order metadata, of the same amount and currency, created within the match window; the nearest in time.
    private func chargeInWindow(for entry: ReconcileFacts.Ledger) -> ChargeIndex? {
        let window = parameters.matchWindowSeconds
        let seconds = entry.timestamp.seconds
        let candidates = (paymentsWithoutOrder[PaymentKey(amount: entry.amount, currency: entry.currency)] ?? [])
            .filter { !matchedCharge[$0] && abs(facts.charges[$0].created.value - seconds) <= window }
        return candidates.min { a, b in
            let x = facts.charges[a]
            let y = facts.charges[b]
            let dx = abs(x.created.value - seconds)
            let dy = abs(y.created.value - seconds)
            return dx != dy ? dx < dy : ids.precedes(x.id, y.id)
        }
    }

    private mutating func pairGroup(_ entries: [LedgerIndex], _ charges: [ChargeIndex], order: FactID) {
        for c in charges { matchedCharge[c] = true }
        let first = facts.charges[charges[0]]
        record(
            .metadataOrderId, key: order, order: order, ledger: entries, stripe: charges.map { facts.charges[$0].id },
            ledgerAmount: Money(minorUnits: entries.reduce(0) { $0 + facts.ledger[$1].amount }, currency: first.currency),
            stripeAmount: Money(minorUnits: charges.reduce(0) { $0 + facts.charges[$1].amount }, currency: first.currency),
            occurredAt: charges.map { facts.charges[$0].created }.min()!.timestamp)
    }

    private func paymentCharge(forStripeId id: FactID) -> ChargeIndex? {
        if ids.hasPrefix(id, "pi_") {
            return paymentsByIntent.items(id).first { !matchedCharge[$0] }
        }
        guard !chargeById[id].isNone else { return nil }
        let c = chargeById[id]
        guard facts.charges[c].isPayment, !matchedCharge[c] else { return nil }
        return c
    }

    private mutating func pair(_ e: LedgerIndex, _ c: ChargeIndex, rule: Match.Rule, key: FactID) {
        matchedCharge[c] = true
        let entry = facts.ledger[e]
        let charge = facts.charges[c]
        if entry.currency != charge.currency {
            flag(
                Discrepancy(
                    kind: .currencyMismatch, subjectId: ids.string(entry.entry), orderId: ids.string(entry.order),
                    ledgerEntryId: ids.string(entry.entry), stripeId: ids.string(charge.id), currency: charge.currency,
                    expectedCurrency: entry.currency, expected: entry.amount, actual: charge.amount, occurredAt: entry.timestamp,
                    detail: "ledger books \(entry.money), the charge is \(charge.money)"))
        } else if entry.amount != charge.amount {
            let taken =
                charge.authorized == charge.amount
                ? "the charge is \(charge.money)" : "the charge captured \(charge.money) of \(charge.authorizedMoney) authorized"
            flag(
                Discrepancy(
                    kind: .amountMismatch, subjectId: ids.string(entry.entry), orderId: ids.string(entry.order),
                    ledgerEntryId: ids.string(entry.entry), stripeId: ids.string(charge.id), currency: charge.currency,
                    expected: entry.amount, actual: charge.amount, occurredAt: entry.timestamp,
                    detail: "ledger books \(entry.money), \(taken)"))
        }
        record(
            rule, key: key, order: entry.order, ledger: CollectionOfOne(e), stripe: CollectionOfOne(charge.id),
            ledgerAmount: entry.money, stripeAmount: charge.money, occurredAt: charge.timestamp)
    }

    /// A ledger payment without its charge; when `authorization` (its Stripe id or order) names an
    /// authorization that was never captured, the note says so: the buyer's card was held, not charged.
    private func missingInStripe(_ entry: ReconcileFacts.Ledger, why: String, authorization key: FactID) -> Discrepancy {
        var detail = why
        if key != IdTable.none, let a = authorizations[key] {
            let held = facts.charges[a]
            detail = "the authorization \(ids.string(held.id)) of \(held.authorizedMoney) was not captured: no money was taken"
        }
        return Discrepancy(
            kind: .missingInStripe, subjectId: ids.string(entry.entry), orderId: ids.string(entry.order),
            ledgerEntryId: ids.string(entry.entry), stripeId: ids.optionalString(entry.stripeId), currency: entry.currency,
            expected: entry.amount, actual: nil, occurredAt: entry.timestamp, detail: detail)
    }

    /// A payment charge's PaymentIntent, or the charge itself when it has none.
    private func intent(_ charge: ReconcileFacts.Charge) -> FactID { charge.paymentIntent != IdTable.none ? charge.paymentIntent : charge.id }

    private mutating func flagUnmatchedCharges() {
        for c in payments where !matchedCharge[c] {
            let charge = facts.charges[c]
            let intent = intent(charge)
            // PaymentIntents already accounting for the order: its matched charges, and the unmatched ones before this one.
            var seen = Set<FactID>()
            var passed = false
            for other in paymentsByOrder.items(charge.order) {
                if other == c { passed = true; continue }
                if matchedCharge[other] || !passed { seen.insert(self.intent(facts.charges[other])) }
            }
            if charge.order != IdTable.none, !seen.isEmpty, !seen.contains(intent) {
                flag(
                    Discrepancy(
                        kind: .duplicateCharge, subjectId: ids.string(charge.id), orderId: ids.string(charge.order), ledgerEntryId: nil,
                        stripeId: ids.string(charge.id), currency: charge.currency, expected: nil, actual: charge.amount,
                        occurredAt: charge.timestamp,
                        detail: "order \(ids.string(charge.order)) is already paid by \(seen.map(ids.string).sorted().joined(separator: ", ")); "
                            + "this charge on \(ids.string(intent)) is extra"))
            } else {
                flag(
                    Discrepancy(
                        kind: .missingInLedger, subjectId: ids.string(charge.id), orderId: ids.optionalString(charge.order),
                        ledgerEntryId: nil, stripeId: ids.string(charge.id), currency: charge.currency, expected: nil,
                        actual: charge.amount, occurredAt: charge.timestamp, detail: "succeeded charge has no ledger payment"))
            }
        }
    }
}
