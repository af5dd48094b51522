import Core

extension ReconciliationPass {
    /// A failed or reversed payout is payout_failed. Any other payout whose composition is known
    /// must equal the sum of the nets of its transactions, not counting its own (`PayoutComposition`).
    mutating func checkPayouts() {
        let order = facts.payouts.indices.sorted { a, b in
            let x = facts.payouts[a]
            let y = facts.payouts[b]
            return (x.created, x.id) < (y.created, y.id)
        }
        for index in order {
            let payout = facts.payouts[index]
            if payout.didFail {
                flag(
                    Discrepancy(
                        kind: .payoutFailed, subjectId: payout.id.rawValue, orderId: nil, ledgerEntryId: nil,
                        stripeId: payout.id.rawValue, currency: payout.currency, expected: payout.amount, actual: 0,
                        occurredAt: payout.createdAt,
                        detail:
                            "payout \(payout.status)\(payout.failureCode.map { ": \($0)" } ?? "")\(payout.reversedBy.map { ", reversed by \($0)" } ?? "")"
                    ))
                continue
            }
            guard let composition = facts.payoutCompositions[index] else { continue }
            if composition.unknown > 0 {
                diagnostics.append("payout \(payout.id): \(composition.unknown) linked transactions are not in the store; run extract again")
                continue
            }
            let sum = composition.net
            guard sum != payout.amount else { continue }
            flag(
                Discrepancy(
                    kind: .payoutMismatch, subjectId: payout.id.rawValue, orderId: nil, ledgerEntryId: nil,
                    stripeId: payout.id.rawValue, currency: payout.currency, expected: sum, actual: payout.amount,
                    occurredAt: payout.createdAt,
                    detail: "payout of \(payout.money) but its \(composition.links - 1) transactions net "
                        + "\(Money(minorUnits: sum, currency: payout.currency))"))
        }
    }
}
