import Core

extension ReconciliationPass {
    /// Checks the fee of each charge, refund and dispute transaction against the schedule.
    /// Transactions without a source (monthly Radar or billing fees) belong to the Summary, not here.
    mutating func checkFees() {
        let schedule = input.feeSchedule
        for transaction in input.stripe.balanceTransactions.sorted(by: { ($0.created, $0.id) < ($1.created, $1.id) }) {
            guard let source = transaction.source?.id, input.inPeriod(transaction.createdAt) else { continue }
            let expected: Int64?
            switch transaction.type {
            case .charge, .payment:
                let presentment = chargesById[ChargeID(source)]?.currency ?? transaction.currency
                do { expected = try schedule.chargeFee(settledAmount: transaction.amount, presentment: presentment, settlement: transaction.currency) } catch {
                    diagnostics.append(error.description)
                    continue
                }
                if expected == nil { diagnostics.append("no fee schedule for \(presentment) charges (\(transaction.id))") }
            case .refund:
                expected = schedule.refundFee(settlement: transaction.currency)
            case .adjustment where (source.hasPrefix("dp_") || source.hasPrefix("du_")) && transaction.amount < 0:
                expected = schedule.disputeFee(settlement: transaction.currency)
                if expected == nil { diagnostics.append("no dispute fee for \(transaction.currency) (\(transaction.id))") }
            default:
                expected = nil
            }
            guard let expected, abs(transaction.fee - expected) > schedule.tolerance else { continue }
            flag(Discrepancy(kind: .feeMismatch, subjectId: transaction.id.rawValue, orderId: order(ofCharge: source)?.rawValue,
                             ledgerEntryId: nil, stripeId: transaction.id.rawValue, currency: transaction.currency,
                             expected: expected, actual: transaction.fee, occurredAt: transaction.createdAt,
                             detail: "\(transaction.type) \(source): fee \(transaction.feeMoney) where the schedule says \(Money(minorUnits: expected, currency: transaction.currency))"))
        }
    }
}
