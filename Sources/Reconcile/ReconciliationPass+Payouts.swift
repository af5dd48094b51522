import Core

extension ReconciliationPass {
    /// A failed or reversed payout is payout_failed. Any other payout whose composition is known
    /// must equal the sum of the nets of its transactions, not counting its own.
    mutating func checkPayouts() {
        var transactionById = [Int32](repeating: -1, count: ids.count)
        for (position, t) in facts.transactions.enumerated().reversed() { transactionById[Int(t.id)] = Int32(position) }
        var links = [[Int32]](repeating: [], count: facts.payouts.count)
        for link in facts.payoutLinks { links[Int(link.payout)].append(link.transaction) }
        let order = facts.payouts.indices.sorted { a, b in
            let x = facts.payouts[a], y = facts.payouts[b]
            return (x.created, x.id) < (y.created, y.id)
        }
        for index in order {
            let payout = facts.payouts[index]
            if payout.didFail {
                flag(Discrepancy(kind: .payoutFailed, subjectId: payout.id.rawValue, orderId: nil, ledgerEntryId: nil,
                                stripeId: payout.id.rawValue, currency: payout.currency, expected: payout.amount, actual: 0,
                                occurredAt: payout.createdAt,
                                detail: "payout \(payout.status)\(payout.failureCode.map { ": \($0)" } ?? "")\(payout.reversedBy.map { ", reversed by \($0)" } ?? "")"))
                continue
            }
            guard !links[index].isEmpty else { continue }
            var sum: Int64 = 0
            var unknown = 0
            for id in links[index] where id != facts.payoutTransactions[index] {
                let t = transactionById[Int(id)]
                if t >= 0 { sum += facts.transactions[Int(t)].net } else { unknown += 1 }
            }
            if unknown > 0 {
                diagnostics.append("payout \(payout.id): \(unknown) linked transactions are not in the store; run extract again")
                continue
            }
            guard sum != payout.amount else { continue }
            flag(Discrepancy(kind: .payoutMismatch, subjectId: payout.id.rawValue, orderId: nil, ledgerEntryId: nil,
                            stripeId: payout.id.rawValue, currency: payout.currency, expected: sum, actual: payout.amount,
                            occurredAt: payout.createdAt,
                            detail: "payout of \(payout.money) but its \(links[index].count - 1) transactions net "
                                + "\(Money(minorUnits: sum, currency: payout.currency))"))
        }
    }
}
