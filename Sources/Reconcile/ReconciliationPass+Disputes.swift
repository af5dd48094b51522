import Core

extension ReconciliationPass {
    /// Every Stripe dispute needs a ledger dispute entry: by du_/dp_ id, or by the order of its charge.
    mutating func matchDisputes() {
        let disputes = input.stripe.disputes.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        var recordedIds = Set<String>()
        var recordedOrders: [OrderID: [LedgerEntry]] = [:]
        for entry in ledger where entry.kind == .dispute {
            if let id = entry.stripeId, !id.isEmpty { recordedIds.insert(id) } else { recordedOrders[entry.orderId, default: []].append(entry) }
        }
        let ledgerById = Dictionary(ledger.filter { $0.kind == .dispute && $0.stripeId != nil }.map { ($0.stripeId!, $0) },
                                    uniquingKeysWith: { first, _ in first })
        for dispute in disputes {
            let order = order(ofCharge: dispute.charge?.id)
            if recordedIds.contains(dispute.id.rawValue), let entry = ledgerById[dispute.id.rawValue] {
                record(Match(rule: .stripeId, key: dispute.id.rawValue, orderId: entry.orderId.rawValue,
                             ledgerEntryIds: [entry.entryId.rawValue], stripeIds: [dispute.id.rawValue], ledgerAmount: entry.amount,
                             stripeAmount: dispute.money, occurredAt: dispute.createdAt))
            } else if let order, var entries = recordedOrders[order], !entries.isEmpty {
                let entry = entries.removeFirst()
                recordedOrders[order] = entries
                record(Match(rule: .disputeOrder, key: order.rawValue, orderId: order.rawValue, ledgerEntryIds: [entry.entryId.rawValue],
                             stripeIds: [dispute.id.rawValue], ledgerAmount: entry.amount, stripeAmount: dispute.money,
                             occurredAt: dispute.createdAt))
            } else {
                flag(Discrepancy(kind: .disputeUnrecorded, subjectId: dispute.id.rawValue, orderId: order?.rawValue, ledgerEntryId: nil,
                                 stripeId: dispute.id.rawValue, currency: dispute.currency, expected: nil, actual: dispute.amount,
                                 occurredAt: dispute.createdAt, detail: "dispute (\(dispute.reason ?? "no reason"), \(dispute.status)) has no ledger dispute entry"))
            }
        }
    }
}
