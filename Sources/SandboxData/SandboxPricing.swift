import Core

/// The fees the synthetic Stripe charges, written independently of Reconcile's FeeSchedule so that
/// the reconciler's arithmetic is checked against a second implementation.
///
/// The default account is a US account: everything settles in USD at 2.9% + 30¢, +1% when the charge
/// was converted (EUR, JPY, KWD), +1.5% when the card was issued outside the US; $15 per dispute
/// (`PricingPreset.us`). With local settlement (`SandboxConfiguration.settlesLocally`), JPY and KWD
/// settle in themselves at 3.6% and 2.9% + 100 fils, EUR converts into USD at 3.9% + 30¢, and cards'
/// countries do not matter (`FeeSchedule.localSettlement`, fixtures/fee-schedule.json).
struct SandboxPricing {
    let settlesLocally: Bool

    /// Basis points (1/100 of a percent) and fixed fee in settlement minor units, per presentment
    /// currency, of a local-settlement account.
    private static let local: [String: (basisPoints: Int64, fixed: Int64)] = [
        "USD": (290, 30), "EUR": (390, 30), "JPY": (360, 0), "KWD": (290, 100),
    ]
    private static let localDispute: [String: Int64] = ["USD": 1500, "JPY": 2000, "KWD": 5000]

    func chargeFee(settled: Int64, presentment: Currency, cardCountry: String) -> Int64 {
        let (basisPoints, fixed): (Int64, Int64)
        if settlesLocally {
            (basisPoints, fixed) = Self.local[presentment.code]!
        } else {
            (basisPoints, fixed) = (290 + (presentment == .usd ? 0 : 100) + (cardCountry == "US" ? 0 : 150), 30)
        }
        // Half-up: add half of the divisor before the integer division.
        return (settled * basisPoints + 5_000) / 10_000 + fixed
    }

    func disputeFee(settlement: Currency) -> Int64 { settlesLocally ? Self.localDispute[settlement.code]! : 1_500 }

    /// A US account settles everything in USD; a local one settles JPY and KWD in themselves.
    func settlementCurrency(for presentment: Currency) -> Currency {
        settlesLocally && presentment != .eur ? presentment : .usd
    }
}
