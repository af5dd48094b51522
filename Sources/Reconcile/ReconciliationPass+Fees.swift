import Core
import Facts

extension ReconciliationPass {
    /// Checks the fee of each charge, refund and dispute transaction against the schedule.
    /// Transactions without a source (monthly Radar or billing fees) belong to the Summary, not here.
    mutating func checkFees() {
        let schedule = parameters.feeSchedule
        var rates: [RateKey: Result<FeeSchedule.ChargeRate?, FeeScheduleError>] = [:]
        // Keyed by the raw id: a lookup per transaction, and Dictionary hashes a stdlib integer through a
        // fast path that a struct key does not get (measured: 67 more instructions a lookup with `FactID`).
        var kinds: [Int32: FeeKind] = [:]
        for transaction in facts.transactions {
            guard transaction.source != IdTable.none, parameters.inPeriod(transaction.created.timestamp) else { continue }
            let kind =
                kinds[transaction.type.raw]
                ?? {
                    let kind = FeeKind(ids.string(transaction.type))
                    kinds[transaction.type.raw] = kind
                    return kind
                }()
            let expected: Int64?
            switch kind {
            case .charge:
                let source = charge(transaction.source)
                let presentment = source?.currency ?? transaction.currency
                let key = RateKey(presentment: presentment, settlement: transaction.currency, cardCountry: source?.cardCountry ?? .unknown)
                let rate =
                    rates[key]
                    ?? {
                        let origin = schedule.cardOrigin(
                            settlement: transaction.currency, cardCountry: key.cardCountry.isKnown ? key.cardCountry.description : nil)
                        let rate = Result { () throws(FeeScheduleError) in
                            try schedule.chargeRate(presentment: presentment, settlement: transaction.currency, origin: origin)
                        }
                        rates[key] = rate
                        return rate
                    }()
                switch rate {
                case .failure(let error):
                    diagnostics.append(error.description)
                    continue
                case .success(let rate):
                    expected = rate?.fee(settledAmount: transaction.amount)
                    if rate == nil {
                        diagnostics.append(
                            "no fee schedule for \(presentment) charges settled in \(transaction.currency) (\(ids.string(transaction.id)))")
                    }
                }
            case .refund:
                expected = schedule.refundFee(settlement: transaction.currency)
            case .adjustment where (ids.hasPrefix(transaction.source, "dp_") || ids.hasPrefix(transaction.source, "du_")) && transaction.amount < 0:
                expected = schedule.disputeFee(settlement: transaction.currency)
                if expected == nil { diagnostics.append("no dispute fee for \(transaction.currency) (\(ids.string(transaction.id)))") }
            default:
                expected = nil
            }
            guard let expected, abs(transaction.fee - expected) > schedule.tolerance else { continue }
            let at = transaction.created.timestamp
            let settled = { (amount: Int64) in Money(minorUnits: amount, currency: transaction.currency) }
            flag(
                Discrepancy(
                    kind: .feeMismatch, subjectId: ids.string(transaction.id), orderId: ids.optionalString(order(ofCharge: transaction.source)),
                    ledgerEntryId: nil, stripeId: ids.string(transaction.id), currency: transaction.currency,
                    expected: expected, actual: transaction.fee, occurredAt: at,
                    detail: "\(ids.string(transaction.type)) \(ids.string(transaction.source)): fee \(settled(transaction.fee)) "
                        + "where the schedule says \(settled(expected))"))
        }
    }
}

/// Which fee rule a balance transaction type falls under.
enum FeeKind {
    case charge, refund, adjustment, other

    init(_ type: String) {
        switch BalanceTransactionType(rawValue: type) {
        case .charge, .payment: self = .charge
        case .refund: self = .refund
        case .adjustment: self = .adjustment
        default: self = .other
        }
    }
}

/// What a charge's rate depends on: computed once per combination, applied to every charge.
struct RateKey: Hashable {
    let presentment: Currency
    let settlement: Currency
    let cardCountry: CountryCode
}
