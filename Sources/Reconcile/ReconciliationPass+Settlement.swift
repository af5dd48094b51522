import Core
import Facts

extension ReconciliationPass {
    /// Gives each match the fee, net and payouts of its balance transactions (`MatchSettlement`): those
    /// whose source is one of its Stripe objects. Every transaction is counted in at most one match, so
    /// the Matched sheet's nets add up: a dispute's match takes its withdrawals, and the funds a won
    /// dispute brought back belong to its `dispute_reinstatement` match (whose Stripe ids are the two
    /// transactions; its key is the dispute). A match whose transactions settle in two currencies, or
    /// are not in the store yet, has none.
    mutating func settleMatches() {
        let transactions = facts.transactions
        // Each source's transactions as a chain: the first by source, then the next of each.
        var first = IdMap<Int32>(repeating: -1, count: ids.count)
        var next = [Int32](repeating: -1, count: transactions.count)
        for t in transactions.indices.reversed() where !transactions[t].source.isNone {
            next[t] = first[transactions[t].source]
            first[transactions[t].source] = Int32(t)
        }
        var isDispute = IdMap(repeating: false, count: ids.count)
        for dispute in facts.disputes { isDispute[dispute.id] = true }
        matches.settle { record, stripeIds, payouts in
            var settled: (currency: Currency, fee: Int64, net: Int64)?
            var mixed = false
            let own = payouts.count
            func take(_ source: FactID, reinstated: Bool) {
                var t = first[source]
                while t >= 0 {
                    let transaction = transactions[Int(t)]
                    t = next[Int(t)]
                    if isDispute[source], (transaction.amount > 0) != reinstated { continue }
                    if let known = settled {
                        guard known.currency == transaction.currency else { mixed = true; continue }
                        settled = (known.currency, known.fee + transaction.fee, known.net + transaction.net)
                    } else {
                        settled = (transaction.currency, transaction.fee, transaction.net)
                    }
                    if !transaction.payout.isNone, !payouts[own...].contains(transaction.payout) { payouts.append(transaction.payout) }
                }
            }
            if record.rule == .disputeReinstatement {
                take(record.key, reinstated: true)
            } else {
                for source in stripeIds { take(source, reinstated: false) }
            }
            return mixed ? nil : settled
        }
    }
}
