import Core
import Facts

/// Matches are stored per slot of 15 minutes of UTC time, one row a slot (`match_block`). Every time zone
/// in use today has its midnight on a quarter hour of UTC, so a reporting period in any of them is made of whole
/// slots; a period whose edge cuts a slot all the same (`MatchWriter`) keeps the slot's matches on the
/// other side of the edge.
enum MatchSlot {
    static let microseconds: Int64 = 15 * 60 * 1_000_000

    /// The start of the slot holding `time` (microseconds since 1970, UTC).
    static func start(of time: Int64) -> Int64 {
        let remainder = time % microseconds
        return remainder < 0 ? time - remainder - microseconds : time - remainder
    }

    /// The content hash of a slot: of its JSON, which holds every stored field, so a slot is written
    /// again exactly when what it would store differs. Eight bytes a step (FNV-1a a byte at a time was
    /// ~0.4 s at a million matches), multiply-xorshift, then MurmurHash3's finalizer; the same in every
    /// process, since the store keeps it.
    static func contentHash(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        let multiplier: UInt64 = 0x9e37_79b9_7f4a_7c15
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        for (k, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(k)) }
        hash = (hash ^ tail) &* multiplier
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Int64(bitPattern: hash)
    }
}
