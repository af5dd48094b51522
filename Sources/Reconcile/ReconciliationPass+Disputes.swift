import Core
import Facts

extension ReconciliationPass {
    /// Every Stripe dispute that withdrew funds needs a ledger dispute entry: by du_/dp_ id, or by the
    /// order of its charge. An inquiry (a `warning_*` status) moved no money: it matches a ledger entry
    /// if there is one and is never flagged. A won dispute's reinstatement is matched to its withdrawal.
    mutating func matchDisputes() {
        let disputes = facts.disputes.sorted { a, b in
            a.record.created != b.record.created ? a.record.created < b.record.created : ids.precedes(a.id, b.id)
        }
        var ledgerById: [FactID: LedgerIndex] = [:]
        var recordedOrders: [FactID: [LedgerIndex]] = [:]
        for e in ledgerOrder where facts.ledger[e].kind == .dispute {
            let entry = facts.ledger[e]
            if entry.stripeId != IdTable.none {
                if ledgerById[entry.stripeId] == nil { ledgerById[entry.stripeId] = e }
            } else {
                recordedOrders[entry.order, default: []].append(e)
            }
        }
        for dispute in disputes {
            let order = order(ofCharge: dispute.charge)
            let record = dispute.record
            if let e = ledgerById[dispute.id] {
                let entry = facts.ledger[e]
                self.record(
                    .stripeId, key: dispute.id, order: entry.order, ledger: CollectionOfOne(e), stripe: CollectionOfOne(dispute.id),
                    ledgerAmount: entry.money, stripeAmount: record.money, occurredAt: record.createdAt)
            } else if order != IdTable.none, var entries = recordedOrders[order], !entries.isEmpty {
                let e = entries.removeFirst()
                recordedOrders[order] = entries
                self.record(
                    .disputeOrder, key: order, order: order, ledger: CollectionOfOne(e), stripe: CollectionOfOne(dispute.id),
                    ledgerAmount: facts.ledger[e].money, stripeAmount: record.money, occurredAt: record.createdAt)
            } else if !record.status.isInquiry {
                flag(
                    Discrepancy(
                        kind: .disputeUnrecorded, subjectId: ids.string(dispute.id), orderId: ids.optionalString(order), ledgerEntryId: nil,
                        stripeId: ids.string(dispute.id), currency: record.currency, expected: nil, actual: record.amount,
                        occurredAt: record.createdAt,
                        detail: "dispute (\(record.reason ?? "no reason"), \(record.status)) has no ledger dispute entry"))
            }
        }
        matchReinstatements(disputes)
    }

    /// A won dispute has two balance transactions: the withdrawal (negative) and the reinstatement that
    /// brings the funds back (positive). They are matched to each other, the withdrawal's amount as the
    /// expected side, so the Matched sheet shows what went and what came back.
    private mutating func matchReinstatements(_ disputes: [ReconcileFacts.DisputeFact]) {
        var isDispute = IdMap(repeating: false, count: ids.count)
        for dispute in disputes { isDispute[dispute.id] = true }
        var withdrawals: [FactID: Int] = [:]
        var reinstatements: [FactID: Int] = [:]
        for (t, transaction) in facts.transactions.enumerated() where !transaction.source.isNone && isDispute[transaction.source] {
            if transaction.amount < 0 {
                if withdrawals[transaction.source] == nil { withdrawals[transaction.source] = t }
            } else if transaction.amount > 0, reinstatements[transaction.source] == nil {
                reinstatements[transaction.source] = t
            }
        }
        for dispute in disputes {
            guard let w = withdrawals[dispute.id], let r = reinstatements[dispute.id] else { continue }
            let withdrawal = facts.transactions[w]
            let reinstatement = facts.transactions[r]
            record(
                .disputeReinstatement, key: dispute.id, order: order(ofCharge: dispute.charge), ledger: EmptyCollection(),
                stripe: [withdrawal.id, reinstatement.id],
                ledgerAmount: Money(minorUnits: -withdrawal.amount, currency: withdrawal.currency),
                stripeAmount: Money(minorUnits: reinstatement.amount, currency: reinstatement.currency),
                occurredAt: reinstatement.created.timestamp)
        }
    }
}
