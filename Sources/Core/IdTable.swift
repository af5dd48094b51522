/// The ids of one reconciliation (charges, orders, ledger entries, …) as small integers.
///
/// At a million orders the reconciler joins about six million ids. As Swift `String`s each is a heap
/// object that is hashed, retained and compared by bytes on every lookup; here each id is stored once,
/// as bytes in one arena, and everything after loading compares and indexes `Int32`s. The store feeds
/// it straight from SQLite's column buffers, so no `String` is made for an id that is only joined.
public struct IdTable: Sendable {
    /// "No id" (a ledger row without stripe_id, a charge without metadata.order_id).
    public static let none: Int32 = -1

    private var bytes: [UInt8] = []
    /// Start of id i in `bytes`; its end is `starts[i + 1]`.
    private var starts: [Int] = [0]
    /// Open addressing, linear probing: slot → id + 1 (0 is empty). Only interned ids are in it.
    private var slots: [Int32] = Array(repeating: 0, count: 1 << 10)
    private var hashes: [UInt32] = []
    private var findable = 0

    public init() {}

    public var count: Int { starts.count - 1 }

    /// The id of these bytes, added if new: for ids that are joined.
    public mutating func intern(_ text: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(text)
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 {
            let id = slots[slot] - 1
            if hashes[Int(id)] == hash && equals(id, text) { return id }
            slot = (slot + 1) & mask
        }
        let id = append(text, hash: hash)
        slots[slot] = id + 1
        findable += 1
        if findable * 2 > slots.count { grow() }
        return id
    }

    public mutating func intern(_ text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Stores bytes without making them findable: for ids that are only ever printed (ledger entry ids).
    public mutating func append(_ text: UnsafeRawBufferPointer) -> Int32 { append(text, hash: 0) }

    public mutating func append(_ text: String) -> Int32 {
        var copy = text
        return copy.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// The id of these bytes if they were interned.
    public func find(_ text: String) -> Int32? {
        var copy = text
        return copy.withUTF8 { buffer -> Int32? in
            let raw = UnsafeRawBufferPointer(buffer)
            let hash = Self.hash(raw)
            let mask = slots.count - 1
            var slot = Int(hash) & mask
            while slots[slot] != 0 {
                let id = slots[slot] - 1
                if hashes[Int(id)] == hash && equals(id, raw) { return id }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    public func string(_ id: Int32) -> String {
        let range = starts[Int(id)]..<starts[Int(id) + 1]
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// The id as text, nil for `none`.
    public func optionalString(_ id: Int32) -> String? { id == Self.none ? nil : string(id) }

    public func hasPrefix(_ id: Int32, _ prefix: StaticString) -> Bool {
        guard id != Self.none else { return false }
        let start = starts[Int(id)], length = starts[Int(id) + 1] - start
        guard length >= prefix.utf8CodeUnitCount else { return false }
        let p = prefix.utf8Start
        for k in 0..<prefix.utf8CodeUnitCount where bytes[start + k] != p[k] { return false }
        return true
    }

    /// Byte order of two ids (the order of their strings, as UTF-8 sorts).
    public func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let aStart = starts[Int(a)], aEnd = starts[Int(a) + 1], bStart = starts[Int(b)], bEnd = starts[Int(b) + 1]
        let common = min(aEnd - aStart, bEnd - bStart)
        for k in 0..<common where bytes[aStart + k] != bytes[bStart + k] { return bytes[aStart + k] < bytes[bStart + k] }
        return aEnd - aStart < bEnd - bStart
    }

    /// Calls `body` with the id's bytes (valid only during the call): for writers that bind them as they are.
    public func withBytes<T>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let range = starts[Int(id)]..<starts[Int(id) + 1]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Feeds the id's bytes to an FNV-1a hash.
    public func mix(_ id: Int32, into hash: inout UInt64) {
        for k in starts[Int(id)]..<starts[Int(id) + 1] { hash = (hash ^ UInt64(bytes[k])) &* FNV.prime }
    }

    private mutating func append(_ text: UnsafeRawBufferPointer, hash: UInt32) -> Int32 {
        bytes.append(contentsOf: text)
        starts.append(bytes.count)
        hashes.append(hash)
        return Int32(count - 1)
    }

    private func equals(_ id: Int32, _ text: UnsafeRawBufferPointer) -> Bool {
        let start = starts[Int(id)], length = starts[Int(id) + 1] - start
        guard length == text.count else { return false }
        return bytes.withUnsafeBytes { stored in
            length == 0 || memcmpBytes(stored.baseAddress! + start, text.baseAddress!, length)
        }
    }

    private mutating func grow() {
        var larger = [Int32](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for entry in slots where entry != 0 {
            var slot = Int(hashes[Int(entry - 1)]) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = entry
        }
        slots = larger
    }

    /// 32-bit FNV-1a mixed with a multiply so that ids differing only at their end spread over the slots.
    private static func hash(_ text: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt64 = FNV.offset
        for byte in text { hash = (hash ^ UInt64(byte)) &* FNV.prime }
        return UInt32(truncatingIfNeeded: ((hash ^ (hash >> 29)) &* 0xbf58_476d_1ce4_e5b9) >> 32)
    }
}

/// FNV-1a 64: a hash that is the same in every process (Swift's `Hasher` is seeded per process),
/// so it can be stored.
public enum FNV {
    public static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x100_0000_01b3

    public static func mix(_ text: String, into hash: inout UInt64) {
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
    }

    public static func mix(_ value: Int64, into hash: inout UInt64) {
        var bits = UInt64(bitPattern: value)
        for _ in 0..<8 { hash = (hash ^ (bits & 0xff)) &* prime; bits >>= 8 }
    }
}

private func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var k = 0
    while k + 8 <= count {
        if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) { return false }
        k += 8
    }
    while k < count {
        if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
        k += 1
    }
    return true
}
