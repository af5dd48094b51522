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
        for (order, entries) in withoutId.sorted(by: { $0.key < $1.key }) {
            var candidates = (paymentsByOrder[order] ?? []).filter { !matchedCharges.contains($0.id) }.makeIterator()
            for entry in entries {
                if let charge = candidates.next() {
                    pair(entry, charge, rule: .metadataOrderId, key: order.rawValue)
                } else {
                    flag(missingInStripe(entry, why: "no succeeded charge with metadata.order_id \(order)"))
                }
            }
        }
        flagUnmatchedCharges()
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
                     ledgerAmount: entry.amount, stripeAmount: charge.money, occurredAt: min(entry.createdAt, charge.createdAt)))
    }

    private func missingInStripe(_ entry: LedgerEntry, why: String) -> Discrepancy {
        Discrepancy(kind: .missingInStripe, subjectId: entry.entryId.rawValue, orderId: entry.orderId.rawValue,
                    ledgerEntryId: entry.entryId.rawValue, stripeId: entry.stripeId, currency: entry.amount.currency,
                    expected: entry.amount.minorUnits, actual: nil, occurredAt: entry.createdAt, detail: why)
    }

    private mutating func flagUnmatchedCharges() {
        let payments = input.stripe.charges.filter(\.isPayment).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
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
