import Core

extension ReconciliationPass {
    /// Pairs ledger payments with payment charges: by Stripe id first (ch_, or pi_ whose succeeded
    /// charge it is), then by metadata.order_id, oldest with oldest. A charge left over in an order
    /// that is already paid is a duplicate_charge; any other is missing_in_ledger.
    mutating func matchPayments() {
        let payments = ledger.filter { $0.kind == .payment }
        var withoutId: [OrderID: [LedgerEntry]] = [:]
        for entry in payments {
            guard let stripeId = entry.stripeId, !stripeId.isEmpty else {
                withoutId[entry.orderId, default: []].append(entry)
                continue
            }
            if let charge = paymentCharge(forStripeId: stripeId) {
                pair(entry, charge, rule: .stripeId, key: stripeId)
            } else {
                flag(missingInStripe(entry, why: "no succeeded charge for \(stripeId)"))
            }
        }
        var unmatched: [LedgerEntry] = []
        for (order, entries) in withoutId.sorted(by: { $0.key < $1.key }) {
            let candidates = (paymentsByOrder[order] ?? []).filter { !matchedCharges.contains($0.id) }
            // One order paid by several charges (or booked as several rows) matches as a group when the sums agree.
            if entries.count != candidates.count, Self.totalsAgree(entries, candidates.map(\.money)) {
                pairGroup(entries, candidates, key: order.rawValue)
                continue
            }
            // A row takes the charge of its own amount if there is one, else the oldest left:
            // rows of 60 and 40 against charges of 40 and 60 are two matches, not two mismatches.
            var remaining = candidates
            for entry in entries {
                guard !remaining.isEmpty else { unmatched.append(entry); continue }
                let index = remaining.firstIndex { $0.amount == entry.amount.minorUnits && $0.currency == entry.amount.currency } ?? 0
                pair(entry, remaining.remove(at: index), rule: .metadataOrderId, key: order.rawValue)
            }
        }
        for entry in unmatched {
            if let charge = chargeInWindow(for: entry) {
                pair(entry, charge, rule: .amountTimeWindow, key: "\(entry.amount) ±\(input.matchWindowSeconds / 3_600)h")
            } else {
                flag(missingInStripe(entry, why: "no succeeded charge with metadata.order_id \(entry.orderId), nor one of \(entry.amount) near its time"))
            }
        }
        flagUnmatchedCharges()
    }

    /// Last resort for a row without Stripe id whose order has no charge: an unmatched charge without
    /// order metadata, of the same amount and currency, created within the match window; the nearest in time.
    private func chargeInWindow(for entry: LedgerEntry) -> Charge? {
        let window = input.matchWindowSeconds
        return (paymentsWithoutOrder[PaymentKey(amount: entry.amount.minorUnits, currency: entry.amount.currency)] ?? [])
            .filter { !matchedCharges.contains($0.id) && abs($0.created - entry.createdAt.seconds) <= window }
            .min { (abs($0.created - entry.createdAt.seconds), $0.id) < (abs($1.created - entry.createdAt.seconds), $1.id) }
    }

    private mutating func pairGroup(_ entries: [LedgerEntry], _ charges: [Charge], key: String) {
        charges.forEach { matchedCharges.insert($0.id) }
        let currency = charges[0].currency
        record(Match(rule: .metadataOrderId, key: key, orderId: key, ledgerEntryIds: entries.map(\.entryId.rawValue),
                     stripeIds: charges.map(\.id.rawValue),
                     ledgerAmount: Money(minorUnits: entries.reduce(0) { $0 + $1.amount.minorUnits }, currency: currency),
                     stripeAmount: Money(minorUnits: charges.reduce(0) { $0 + $1.amount }, currency: currency),
                     occurredAt: charges.map(\.createdAt).min()!))
    }

    private func paymentCharge(forStripeId id: String) -> Charge? {
        if id.hasPrefix("pi_") {
            return paymentsByIntent[id]?.first { !matchedCharges.contains($0.id) }
        }
        guard let charge = chargesById[ChargeID(id)], charge.isPayment, !matchedCharges.contains(charge.id) else { return nil }
        return charge
    }

    private mutating func pair(_ entry: LedgerEntry, _ charge: Charge, rule: Match.Rule, key: String) {
        matchedCharges.insert(charge.id)
        let base = (order: entry.orderId.rawValue, entry: entry.entryId.rawValue, stripe: charge.id.rawValue)
        if entry.amount.currency != charge.currency {
            flag(Discrepancy(kind: .currencyMismatch, subjectId: base.entry, orderId: base.order, ledgerEntryId: base.entry,
                             stripeId: base.stripe, currency: charge.currency, expectedCurrency: entry.amount.currency,
                             expected: entry.amount.minorUnits, actual: charge.amount, occurredAt: entry.createdAt,
                             detail: "ledger books \(entry.amount), the charge is \(charge.money)"))
        } else if entry.amount.minorUnits != charge.amount {
            flag(Discrepancy(kind: .amountMismatch, subjectId: base.entry, orderId: base.order, ledgerEntryId: base.entry,
                             stripeId: base.stripe, currency: charge.currency, expected: entry.amount.minorUnits,
                             actual: charge.amount, occurredAt: entry.createdAt,
                             detail: "ledger books \(entry.amount), the charge is \(charge.money)"))
        }
        record(Match(rule: rule, key: key, orderId: base.order, ledgerEntryIds: [base.entry], stripeIds: [base.stripe],
                     ledgerAmount: entry.amount, stripeAmount: charge.money, occurredAt: charge.createdAt))
    }

    private func missingInStripe(_ entry: LedgerEntry, why: String) -> Discrepancy {
        Discrepancy(kind: .missingInStripe, subjectId: entry.entryId.rawValue, orderId: entry.orderId.rawValue,
                    ledgerEntryId: entry.entryId.rawValue, stripeId: entry.stripeId, currency: entry.amount.currency,
                    expected: entry.amount.minorUnits, actual: nil, occurredAt: entry.createdAt, detail: why)
    }

    private mutating func flagUnmatchedCharges() {
        // Payment intents already accounted for in each order: a second charge on another intent is a duplicate.
        var accounted: [OrderID: Set<String>] = [:]
        for charge in payments where matchedCharges.contains(charge.id) {
            if let order = charge.orderId { accounted[order, default: []].insert(charge.paymentIntent?.id ?? charge.id.rawValue) }
        }
        for charge in payments where !matchedCharges.contains(charge.id) {
            let intent = charge.paymentIntent?.id ?? charge.id.rawValue
            if let order = charge.orderId, let seen = accounted[order], !seen.isEmpty, !seen.contains(intent) {
                flag(Discrepancy(kind: .duplicateCharge, subjectId: charge.id.rawValue, orderId: order.rawValue, ledgerEntryId: nil,
                                 stripeId: charge.id.rawValue, currency: charge.currency, expected: nil, actual: charge.amount,
                                 occurredAt: charge.createdAt,
                                 detail: "order \(order) is already paid by \(seen.sorted().joined(separator: ", ")); this charge on \(intent) is extra"))
            } else {
                flag(Discrepancy(kind: .missingInLedger, subjectId: charge.id.rawValue, orderId: charge.orderId?.rawValue,
                                 ledgerEntryId: nil, stripeId: charge.id.rawValue, currency: charge.currency, expected: nil,
                                 actual: charge.amount, occurredAt: charge.createdAt, detail: "succeeded charge has no ledger payment"))
            }
            if let order = charge.orderId { accounted[order, default: []].insert(intent) }
        }
    }
}
