import Core
import Facts

extension ReconciliationPass {
    /// Every Stripe dispute needs a ledger dispute entry: by du_/dp_ id, or by the order of its charge.
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
            } else {
                flag(
                    Discrepancy(
                        kind: .disputeUnrecorded, subjectId: ids.string(dispute.id), orderId: ids.optionalString(order), ledgerEntryId: nil,
                        stripeId: ids.string(dispute.id), currency: record.currency, expected: nil, actual: record.amount,
                        occurredAt: record.createdAt,
                        detail: "dispute (\(record.reason ?? "no reason"), \(record.status)) has no ledger dispute entry"))
            }
        }
    }
}
