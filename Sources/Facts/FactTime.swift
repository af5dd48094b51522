import Core

/// Whole seconds since 1970 (UTC), as Stripe counts its objects' `created`.
@frozen public struct StripeSeconds: Hashable, Comparable, Sendable {
    public let value: Int64
    @inlinable public init(_ value: Int64) { self.value = value }
    @inlinable public var timestamp: Timestamp { Timestamp(seconds: value) }
    @inlinable public static func < (lhs: StripeSeconds, rhs: StripeSeconds) -> Bool { lhs.value < rhs.value }
    @inlinable public static func == (lhs: StripeSeconds, rhs: StripeSeconds) -> Bool { lhs.value == rhs.value }
}

/// Microseconds since 1970 (UTC), as the ledger's rows and payrecon's own times are kept.
@frozen public struct Microseconds: Hashable, Comparable, Sendable {
    public let value: Int64
    @inlinable public init(_ value: Int64) { self.value = value }
    @inlinable public var timestamp: Timestamp { Timestamp(microseconds: value) }
    @inlinable public static func < (lhs: Microseconds, rhs: Microseconds) -> Bool { lhs.value < rhs.value }
    @inlinable public static func == (lhs: Microseconds, rhs: Microseconds) -> Bool { lhs.value == rhs.value }
}
