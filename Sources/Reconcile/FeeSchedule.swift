import Core

/// What Stripe should charge. Two ways to say it, which can be mixed:
/// - Stripe's own model (`settlement`): per settlement currency a percentage of the settled amount plus
///   a fixed fee, with surcharges for a converted charge and for a card issued abroad, and the dispute
///   fee. The presets (`PricingPreset`) are written this way.
/// - Per presentment currency (`charges`, the format of the first fee files): a percentage plus a fixed
///   fee, and an FX surcharge when converted. An entry here wins for its presentment currency.
/// Fees are rounded half-up to the settlement currency's minor unit.
public struct FeeSchedule: Hashable, Sendable {
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
    /// Keyed by lower-case settlement currency.
    public let settlement: [String: SettlementPricing]
    /// Fee on a refund's balance transaction, keyed by settlement currency; absent means none.
    public let refunds: [String: Int64]
    /// Fixed dispute fee, keyed by settlement currency (beside `SettlementPricing.disputeFee`, which it overrides).
    public let disputes: [String: Int64]
    /// Largest difference, in settlement minor units, that is not a fee_mismatch.
    public let tolerance: Int64
    /// The account's country (ISO 3166-1), for people reading the schedule; the rules use the countries
    /// of each settlement pricing.
    public let accountCountry: String?

    public init(
        charges: [String: ChargeFee] = [:], settlement: [String: SettlementPricing] = [:], refunds: [String: Int64] = [:],
        disputes: [String: Int64], tolerance: Int64 = 0, accountCountry: String? = nil
    ) {
        self.charges = charges; self.settlement = settlement; self.refunds = refunds; self.disputes = disputes
        self.tolerance = tolerance; self.accountCountry = accountCountry
    }

    /// The default: Stripe's standard pricing of a US account (`PricingPreset.us`).
    public static let standard = PricingPreset.us.schedule

    /// The schedule of an account that settles JPY and KWD in themselves and converts EUR into USD:
    /// the sandbox's `--settlement local` account, and fixtures/fee-schedule.json.
    public static let localSettlement = FeeSchedule(
        charges: [
            "usd": ChargeFee(percent: "2.9", fixed: 30),
            "eur": ChargeFee(percent: "2.9", fixed: 30, fxSurchargePercent: "1.0"),
            "jpy": ChargeFee(percent: "3.6", fixed: 0),
            "kwd": ChargeFee(percent: "2.9", fixed: 100),
        ],
        disputes: ["usd": 1500, "jpy": 2000, "kwd": 5000])

    /// Expected fee for a charge settled as `settledAmount` in `settlement` (minor units); nil when the
    /// schedule has nothing for it.
    public func chargeFee(
        settledAmount: Int64, presentment: Currency, settlement: Currency? = nil, cardCountry: String? = nil
    ) throws(FeeScheduleError) -> Int64? {
        let origin = cardOrigin(settlement: settlement ?? presentment, cardCountry: cardCountry)
        return try chargeRate(presentment: presentment, settlement: settlement, origin: origin)?.fee(settledAmount: settledAmount)
    }

    /// Where a card was issued as the settlement currency's pricing sees it; unknown counts as domestic.
    public func cardOrigin(settlement: Currency, cardCountry: String?) -> CardOrigin {
        guard let cardCountry, let pricing = self.settlement[settlement.stripeCode] else { return .domestic }
        return pricing.origin(ofCardFrom: cardCountry.uppercased())
    }

    /// The percentage (in parts per million) and fixed part for charges in `presentment` settled in
    /// `settlement` with a card of `origin`: computed once per combination by a reconciliation.
    public func chargeRate(presentment: Currency, settlement: Currency?, origin: CardOrigin = .domestic) throws(FeeScheduleError) -> ChargeRate? {
        let converted = settlement.map { $0 != presentment } ?? false
        if let entry = charges[presentment.stripeCode] {
            var ppm = try Self.partsPerMillion(entry.percent, label: presentment.code)
            if let surcharge = entry.fxSurchargePercent, converted { ppm += try Self.partsPerMillion(surcharge, label: presentment.code) }
            return ChargeRate(partsPerMillion: ppm, fixed: entry.fixed)
        }
        guard let settlement, let pricing = self.settlement[settlement.stripeCode] else { return nil }
        return try pricing.rate(converted: converted, origin: origin, label: settlement.code)
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
    public func disputeFee(settlement: Currency) -> Int64? {
        disputes[settlement.stripeCode] ?? self.settlement[settlement.stripeCode]?.disputeFee
    }

    /// "2.9" percent → 29,000 parts per million, exactly.
    static func partsPerMillion(_ percent: String, label: String) throws(FeeScheduleError) -> Int64 {
        let parts = percent.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0,
            parts.count == 1 || (parts[1].count <= 4 && !parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)),
            let fraction = parts.count == 2 ? Int64(parts[1] + String(repeating: "0", count: 4 - parts[1].count)) : 0
        else { throw FeeScheduleError(description: "fee schedule: percent '\(percent)' for \(label) is not a decimal with at most 4 places") }
        return whole * 10_000 + fraction
    }
}

/// Where a card was issued, relative to the account: it decides the surcharge.
public enum CardOrigin: Hashable, Sendable {
    /// The account's country (or not known: no surcharge is assumed).
    case domestic
    /// A neighbouring region with its own rate (EEA cards on a UK account, UK cards on an EU account).
    case regional
    case international
}

public struct FeeScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
