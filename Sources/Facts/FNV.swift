/// FNV-1a 64: a hash that is the same in every process (Swift's `Hasher` is seeded per process),
/// so it can be stored.
public enum FNV {
    public static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x100_0000_01b3

    public static func mix(_ text: String, into hash: inout UInt64) {
        var text = text
        text.withUTF8 { mix(UnsafeRawBufferPointer($0), into: &hash) }
    }

    /// The hot path of every other `mix`: no bounds check per byte.
    @inline(__always)
    public static func mix(_ bytes: UnsafeRawBufferPointer, into hash: inout UInt64) {
        var h = hash
        for byte in bytes { h = (h ^ UInt64(byte)) &* prime }
        hash = h
    }

    public static func mix(_ value: Int64, into hash: inout UInt64) {
        var bits = UInt64(bitPattern: value)
        for _ in 0..<8 { hash = (hash ^ (bits & 0xff)) &* prime; bits >>= 8 }
    }
}
