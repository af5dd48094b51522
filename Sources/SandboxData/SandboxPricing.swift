import Core

/// The fees the synthetic Stripe charges, written independently of Reconcile's FeeSchedule so that
/// the reconciler's arithmetic is checked against a second implementation. It equals
/// `FeeSchedule.standard`: 2.9% + 30 (USD), 2.9% + 1% FX + 30 (EUR converted to USD), 3.6% (JPY),
/// 2.9% + 100 fils (KWD); disputes 15.00 USD, 2000 JPY, 5.000 KWD.
enum SandboxPricing {
    /// Basis points (1/100 of a percent) and fixed fee in settlement minor units, per presentment currency.
    static let charge: [String: (basisPoints: Int64, fixed: Int64)] = [
        "USD": (290, 30), "EUR": (390, 30), "JPY": (360, 0), "KWD": (290, 100),
    ]
    static let dispute: [String: Int64] = ["USD": 1500, "JPY": 2000, "KWD": 5000]

    static func chargeFee(settled: Int64, presentment: Currency) -> Int64 {
        let rate = charge[presentment.code]!
        // Half-up: add half of the divisor before the integer division.
        return (settled * rate.basisPoints + 5_000) / 10_000 + rate.fixed
    }

    /// EUR is settled in USD; the others in their own currency.
    static func settlementCurrency(for presentment: Currency) -> Currency {
        presentment == .eur ? .usd : presentment
    }
}
