import Core

/// A fee file: every key optional. `preset` starts from a `PricingPreset`; `charges`, `settlement`,
/// `refunds` and `disputes` add or replace entries per currency; `tolerance` and `account_country`
/// replace. A key the format does not have is an error that names it (a typo must not silently price
/// a night's charges with the default).
extension FeeSchedule: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case preset, charges, settlement, refunds, disputes, tolerance
        case accountCountry = "account_country"
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let unknown = keys.first(where: { CodingKeys(rawValue: $0) == nil }) {
            throw FeeScheduleError(
                description: "'\(unknown)' is not a fee schedule key (expected \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let base = try c.decodeIfPresent(String.self, forKey: .preset).map { name throws(FeeScheduleError) in try PricingPreset(name: name).schedule }
        func merged<Value: Decodable>(_ key: CodingKeys, _ current: [String: Value]?) throws -> [String: Value] {
            let own = try c.decodeIfPresent([String: Value].self, forKey: key) ?? [:]
            return (current ?? [:]).merging(own.map { ($0.key.lowercased(), $0.value) }) { _, new in new }
        }
        self.init(
            charges: try merged(.charges, base?.charges), settlement: try merged(.settlement, base?.settlement),
            refunds: try merged(.refunds, base?.refunds), disputes: try merged(.disputes, base?.disputes),
            tolerance: try c.decodeIfPresent(Int64.self, forKey: .tolerance) ?? base?.tolerance ?? 0,
            accountCountry: try c.decodeIfPresent(String.self, forKey: .accountCountry) ?? base?.accountCountry)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !charges.isEmpty { try c.encode(charges, forKey: .charges) }
        if !settlement.isEmpty { try c.encode(settlement, forKey: .settlement) }
        try c.encode(refunds, forKey: .refunds)
        try c.encode(disputes, forKey: .disputes)
        try c.encode(tolerance, forKey: .tolerance)
        try c.encodeIfPresent(accountCountry, forKey: .accountCountry)
    }
}
