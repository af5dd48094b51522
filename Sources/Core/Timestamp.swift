/// A UTC instant with microsecond precision, stored as an integer so that it sorts,
/// compares and persists exactly. Stripe's timestamps are whole seconds.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    /// Whole seconds since 1970 (floor), as Stripe counts them.
    public var seconds: Int64 { microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000 }

    public func adding(seconds delta: Int64) -> Timestamp { Timestamp(microseconds: microseconds + delta * 1_000_000) }
    public func adding(microseconds delta: Int64) -> Timestamp { Timestamp(microseconds: microseconds + delta) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    public init(from decoder: any Decoder) throws { microseconds = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(microseconds)
    }

    /// ISO 8601 in UTC, e.g. 2026-09-30T23:59:59Z (fraction shown only when present).
    public var iso8601: String { ISO8601Time.format(self) }
    public var description: String { iso8601 }
}
