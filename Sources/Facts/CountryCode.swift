/// A two-letter ISO 3166-1 country (where a card was issued) in two bytes: a charge fact carries one,
/// and a million `String`s would cost more than the rest of the fact.
public struct CountryCode: Hashable, Sendable, CustomStringConvertible {
    public let raw: UInt16
    public static let unknown = CountryCode(raw: 0)

    public init(raw: UInt16) { self.raw = raw }

    /// "US", "gb": upper-cased; anything that is not two ASCII letters is unknown.
    public init(_ text: String?) {
        guard let text, text.utf8.count == 2 else { self = .unknown; return }
        self.init(bytes: Array(text.utf8))
    }

    /// From two bytes (as SQLite hands them); anything but two ASCII letters is unknown.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard bytes.count == 2 else { self = .unknown; return }
        var value: UInt16 = 0
        for byte in bytes {
            let upper = byte & 0xDF
            guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { self = .unknown; return }
            value = value << 8 | UInt16(upper)
        }
        raw = value
    }

    public var isKnown: Bool { raw != 0 }
    public var description: String {
        isKnown ? String(decoding: [UInt8(raw >> 8), UInt8(raw & 0xFF)], as: UTF8.self) : "unknown"
    }
}
