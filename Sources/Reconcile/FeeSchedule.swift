import Core

/// What Stripe should charge: per presentment currency a percentage of the settled amount plus a
/// fixed fee in the settlement currency, rounded half-up to the settlement currency's minor unit.
/// Surcharges (international cards, conversion) are expressed as a higher percentage.
public struct FeeSchedule: Hashable, Sendable, Codable {
    public struct ChargeFee: Hashable, Sendable, Codable {
        /// Percent as an exact decimal string ("2.9"), at most 4 decimals.
        public let percent: String
        /// Fixed part, in minor units of the settlement currency.
        public let fixed: Int64
        /// Added to `percent` when the charge is converted into another settlement currency ("1.0").
        public let fxSurchargePercent: String?

        public init(percent: String, fixed: Int64, fxSurchargePercent: String? = nil) {
            self.percent = percent; self.fixed = fixed; self.fxSurchargePercent = fxSurchargePercent
        }

        enum CodingKeys: String, CodingKey {
            case percent, fixed
            case fxSurchargePercent = "fx_surcharge_percent"
        }
    }

    /// Keyed by lower-case presentment currency.
    public let charges: [String: ChargeFee]
    /// Fee on a refund's balance transaction, keyed by settlement currency; absent means none.
    public let refunds: [String: Int64]
    /// Fixed dispute fee, keyed by settlement currency.
    public let disputes: [String: Int64]
    /// Largest difference, in settlement minor units, that is not a fee_mismatch.
    public let tolerance: Int64

    public init(charges: [String: ChargeFee], refunds: [String: Int64] = [:], disputes: [String: Int64], tolerance: Int64 = 0) {
        self.charges = charges; self.refunds = refunds; self.disputes = disputes; self.tolerance = tolerance
    }

    /// Stripe's standard pricing as the sandbox applies it: 2.9% + 30¢, +1% when converted (EUR settles
    /// in USD), and local schedules for JPY and KWD, which settle in their own currency.
    public static let standard = FeeSchedule(
        charges: [
            "usd": ChargeFee(percent: "2.9", fixed: 30),
            "eur": ChargeFee(percent: "2.9", fixed: 30, fxSurchargePercent: "1.0"),
            "jpy": ChargeFee(percent: "3.6", fixed: 0),
            "kwd": ChargeFee(percent: "2.9", fixed: 100),
        ],
        disputes: ["usd": 1500, "jpy": 2000, "kwd": 5000])

    /// Expected fee for a charge settled as `settledAmount` in `settlement` (minor units); nil when the
    /// schedule has no entry for the presentment currency. The FX surcharge applies when the two differ.
    public func chargeFee(settledAmount: Int64, presentment: Currency, settlement: Currency? = nil) throws(FeeScheduleError) -> Int64? {
        try chargeRate(presentment: presentment, settlement: settlement)?.fee(settledAmount: settledAmount)
    }

    /// The percentage (in parts per million) and fixed part for charges in `presentment` settled in
    /// `settlement`: computed once per currency pair by a reconciliation, applied to every charge.
    public func chargeRate(presentment: Currency, settlement: Currency?) throws(FeeScheduleError) -> ChargeRate? {
        guard let entry = charges[presentment.stripeCode] else { return nil }
        var ppm = try Self.partsPerMillion(entry.percent, currency: presentment.code)
        if let surcharge = entry.fxSurchargePercent, let settlement, settlement != presentment {
            ppm += try Self.partsPerMillion(surcharge, currency: presentment.code)
        }
        return ChargeRate(partsPerMillion: ppm, fixed: entry.fixed)
    }

    public struct ChargeRate: Hashable, Sendable {
        public let partsPerMillion: Int64
        public let fixed: Int64

        public func fee(settledAmount: Int64) -> Int64 {
            // Int128 keeps amount × ppm exact for any Int64 amount; half-up on the magnitude.
            let product = Int128(settledAmount.magnitude) * Int128(partsPerMillion)
            return Int64((product + 500_000) / 1_000_000) + fixed
        }
    }

    public func refundFee(settlement: Currency) -> Int64 { refunds[settlement.stripeCode] ?? 0 }
    public func disputeFee(settlement: Currency) -> Int64? { disputes[settlement.stripeCode] }

    /// "2.9" percent → 29,000 parts per million, exactly.
    static func partsPerMillion(_ percent: String, currency: String) throws(FeeScheduleError) -> Int64 {
        let parts = percent.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0,
            parts.count == 1 || (parts[1].count <= 4 && !parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)),
            let fraction = parts.count == 2 ? Int64(parts[1] + String(repeating: "0", count: 4 - parts[1].count)) : 0
        else { throw FeeScheduleError(description: "fee schedule: percent '\(percent)' for \(currency) is not a decimal with at most 4 places") }
        return whole * 10_000 + fraction
    }
}

public struct FeeScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
