import Core

/// Stripe's published standard pricing for a few account countries, as fee schedules. An account with
/// negotiated (IC+ or volume) pricing writes its own fee file instead, or starts from a preset
/// (`"preset": "US"` in the file) and overrides what differs.
public enum PricingPreset: String, CaseIterable, Sendable {
    case us = "US"
    case gb = "GB"
    case eu = "EU"
    case jp = "JP"

    /// "us", "GB", "eu": case does not matter.
    public init(name: String) throws(FeeScheduleError) {
        guard let preset = Self(rawValue: name.uppercased()) else {
            throw FeeScheduleError(
                description: "pricing: '\(name)' is not a preset (expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = preset
    }

    /// The European Economic Area: "standard EEA cards" on an EU account, the regional rate on a UK one.
    static let eea = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV",
        "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    ]

    public var schedule: FeeSchedule {
        switch self {
        case .us:
            // 2.9% + 30¢ for domestic cards, +1.5% for international cards, +1% when converted; $15 per dispute.
            FeeSchedule(
                settlement: [
                    "usd": SettlementPricing(
                        percent: "2.9", fixed: 30, conversionPercent: "1.0", internationalPercent: "1.5", domesticCountries: ["US"],
                        disputeFee: 1_500)
                ], disputes: [:], accountCountry: "US")
        case .gb:
            // 1.5% + 20p for UK cards, 2.5% + 20p for EEA cards, 3.25% + 20p for international cards, +2% when converted; £20 per dispute.
            FeeSchedule(
                settlement: [
                    "gbp": SettlementPricing(
                        percent: "1.5", fixed: 20, conversionPercent: "2.0", internationalPercent: "1.75", regionalPercent: "1.0",
                        domesticCountries: ["GB"], regionalCountries: Self.eea, disputeFee: 2_000)
                ], disputes: [:], accountCountry: "GB")
        case .eu:
            // 1.5% + €0.25 for EEA cards, 2.5% + €0.25 for UK cards, 3.25% + €0.25 for international cards, +2% when converted; €20 per dispute.
            FeeSchedule(
                settlement: [
                    "eur": SettlementPricing(
                        percent: "1.5", fixed: 25, conversionPercent: "2.0", internationalPercent: "1.75", regionalPercent: "1.0",
                        domesticCountries: Self.eea, regionalCountries: ["GB"], disputeFee: 2_000)
                ], disputes: [:], accountCountry: "EU")
        case .jp:
            // 3.6% and no fixed fee, +2% when converted; ¥1,500 per dispute.
            FeeSchedule(
                settlement: [
                    "jpy": SettlementPricing(percent: "3.6", fixed: 0, conversionPercent: "2.0", domesticCountries: [], disputeFee: 1_500)
                ], disputes: [:], accountCountry: "JP")
        }
    }
}
