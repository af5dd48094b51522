/// A typed string id: a charge id cannot be passed where a payout id is expected.
public struct Identifier<Tag>: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum ChargeTag {}
public enum RefundTag {}
public enum DisputeTag {}
public enum PayoutTag {}
public enum BalanceTransactionTag {}
public enum PaymentIntentTag {}
public enum EventTag {}
public enum OrderTag {}
public enum LedgerEntryTag {}

public typealias ChargeID = Identifier<ChargeTag>
public typealias RefundID = Identifier<RefundTag>
public typealias DisputeID = Identifier<DisputeTag>
public typealias PayoutID = Identifier<PayoutTag>
public typealias BalanceTransactionID = Identifier<BalanceTransactionTag>
public typealias PaymentIntentID = Identifier<PaymentIntentTag>
public typealias EventID = Identifier<EventTag>
public typealias OrderID = Identifier<OrderTag>
public typealias LedgerEntryID = Identifier<LedgerEntryTag>
