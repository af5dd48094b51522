import Core

/// Currency codes as SQLite hands them (3 bytes), to `Currency` without a `String` per row.
/// An account settles in a handful of currencies, so a list searched from the front beats hashing.
final class FactCurrencyCache {
    private var known: [(packed: UInt32, currency: Currency)] = []

    func currency(_ bytes: UnsafeRawBufferPointer) throws -> Currency {
        guard bytes.count <= 4 else { return try Currency(code: String(decoding: bytes, as: UTF8.self)) }
        let packed = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        for entry in known where entry.packed == packed { return entry.currency }
        let currency = try Currency(code: String(decoding: bytes, as: UTF8.self))
        known.append((packed, currency))
        return currency
    }
}
