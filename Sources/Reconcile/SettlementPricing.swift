import Core

/// Stripe's pricing for charges that settle in one currency: a percentage of the settled amount plus a
/// fixed fee, and the surcharges that Stripe adds (a card from another region or country, a conversion
/// from the presentment currency), plus the dispute fee.
public struct SettlementPricing: Hashable, Sendable, Codable {
    /// Percent as an exact decimal string ("2.9"), at most 4 decimals.
    public let percent: String
    /// Fixed part, in minor units of the settlement currency.
    public let fixed: Int64
    /// Added when the presentment currency is not the settlement currency.
    public let conversionPercent: String?
    /// Added for a card issued outside the domestic and regional countries.
    public let internationalPercent: String?
    /// Added for a card issued in one of `regionalCountries`.
    public let regionalPercent: String?
    /// ISO 3166-1 alpha-2 codes whose cards pay no surcharge (the account's country, or the EEA).
    public let domesticCountries: [String]
    public let regionalCountries: [String]
    /// Fixed fee of a dispute's withdrawal, in minor units of the settlement currency.
    public let disputeFee: Int64?

    public init(
        percent: String, fixed: Int64, conversionPercent: String? = nil, internationalPercent: String? = nil,
        regionalPercent: String? = nil, domesticCountries: [String], regionalCountries: [String] = [], disputeFee: Int64? = nil
    ) {
        self.percent = percent; self.fixed = fixed; self.conversionPercent = conversionPercent
        self.internationalPercent = internationalPercent; self.regionalPercent = regionalPercent
        self.domesticCountries = domesticCountries; self.regionalCountries = regionalCountries; self.disputeFee = disputeFee
    }

    enum CodingKeys: String, CodingKey {
        case percent, fixed
        case conversionPercent = "conversion_percent"
        case internationalPercent = "international_percent"
        case regionalPercent = "regional_percent"
        case domesticCountries = "domestic_countries"
        case regionalCountries = "regional_countries"
        case disputeFee = "dispute_fee"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        percent = try c.decode(String.self, forKey: .percent)
        fixed = try c.decode(Int64.self, forKey: .fixed)
        conversionPercent = try c.decodeIfPresent(String.self, forKey: .conversionPercent)
        internationalPercent = try c.decodeIfPresent(String.self, forKey: .internationalPercent)
        regionalPercent = try c.decodeIfPresent(String.self, forKey: .regionalPercent)
        domesticCountries = try c.decodeIfPresent([String].self, forKey: .domesticCountries) ?? []
        regionalCountries = try c.decodeIfPresent([String].self, forKey: .regionalCountries) ?? []
        disputeFee = try c.decodeIfPresent(Int64.self, forKey: .disputeFee)
    }

    /// An empty domestic list means every card is domestic (no surcharge can be told apart).
    public func origin(ofCardFrom country: String) -> CardOrigin {
        if domesticCountries.isEmpty || domesticCountries.contains(country) { return .domestic }
        return regionalCountries.contains(country) ? .regional : .international
    }

    func rate(converted: Bool, origin: CardOrigin, label: String) throws(FeeScheduleError) -> FeeSchedule.ChargeRate {
        var ppm = try FeeSchedule.partsPerMillion(percent, label: label)
        let surcharge: String? =
            switch origin {
            case .domestic: nil
            case .regional: regionalPercent
            case .international: internationalPercent
            }
        if let surcharge { ppm += try FeeSchedule.partsPerMillion(surcharge, label: label) }
        if converted, let conversionPercent { ppm += try FeeSchedule.partsPerMillion(conversionPercent, label: label) }
        return FeeSchedule.ChargeRate(partsPerMillion: ppm, fixed: fixed)
    }
}
