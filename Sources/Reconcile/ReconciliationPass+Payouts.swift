import Core

extension ReconciliationPass {
    /// A failed or reversed payout is payout_failed. Any other payout whose composition is known
    /// must equal the sum of the nets of its transactions, not counting its own.
    mutating func checkPayouts() {
        let transactions = Dictionary(input.stripe.balanceTransactions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for payout in input.stripe.payouts.sorted(by: { ($0.created, $0.id) < ($1.created, $1.id) }) {
            if payout.didFail {
                flag(Discrepancy(kind: .payoutFailed, subjectId: payout.id.rawValue, orderId: nil, ledgerEntryId: nil,
                                 stripeId: payout.id.rawValue, currency: payout.currency, expected: payout.amount, actual: 0,
                                 occurredAt: payout.createdAt,
                                 detail: "payout \(payout.status)\(payout.failureCode.map { ": \($0)" } ?? "")\(payout.reversedBy.map { ", reversed by \($0)" } ?? "")"))
                continue
            }
            guard let links = input.stripe.payoutLinks[payout.id], !links.isEmpty else { continue }
            var sum: Int64 = 0
            var unknown = 0
            for id in links where id.rawValue != payout.balanceTransaction?.id {
                if let transaction = transactions[id] { sum += transaction.net } else { unknown += 1 }
            }
            if unknown > 0 {
                diagnostics.append("payout \(payout.id): \(unknown) linked transactions are not in the store; run extract again")
                continue
            }
            guard sum != payout.amount else { continue }
            flag(Discrepancy(kind: .payoutMismatch, subjectId: payout.id.rawValue, orderId: nil, ledgerEntryId: nil,
                             stripeId: payout.id.rawValue, currency: payout.currency, expected: sum, actual: payout.amount,
                             occurredAt: payout.createdAt,
                             detail: "payout of \(payout.money) but its \(links.count - 1) transactions net \(Money(minorUnits: sum, currency: payout.currency))"))
        }
    }
}
