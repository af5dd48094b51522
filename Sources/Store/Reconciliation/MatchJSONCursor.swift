import Core
import Facts

/// Writes JSON values into room reserved beforehand (`ByteBuffer.append(upTo:)`): no check per byte,
/// so the caller reserves for the worst case (every string byte escaped as \u00XX: six bytes).
struct MatchJSONCursor {
    var at: UnsafeMutableRawPointer

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        at.storeBytes(of: value, as: UInt8.self)
        at += 1
    }

    mutating func raw(_ text: StaticString) {
        at.copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        at += text.utf8CodeUnitCount
    }

    mutating func quoted(_ text: StaticString) {
        byte(UInt8(ascii: "\""))
        raw(text)
        byte(UInt8(ascii: "\""))
    }

    mutating func code(_ currency: Currency) {
        let packed = currency.packedCode
        byte(UInt8(ascii: "\""))
        byte(UInt8(truncatingIfNeeded: packed)); byte(UInt8(truncatingIfNeeded: packed >> 8)); byte(UInt8(truncatingIfNeeded: packed >> 16))
        byte(UInt8(ascii: "\""))
    }

    mutating func array(_ members: UnsafeBufferPointer<FactID>, of texts: IdTable.Texts) {
        byte(UInt8(ascii: "["))
        for (position, id) in members.enumerated() {
            if position > 0 { byte(UInt8(ascii: ",")) }
            string(texts.bytes(id))
        }
        byte(UInt8(ascii: "]"))
    }

    mutating func integer(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var end = at + digits
        at = end
        repeat {
            end -= 1
            end.storeBytes(of: UInt8(ascii: "0") + UInt8(magnitude % 10), as: UInt8.self)
            magnitude /= 10
        } while magnitude > 0
    }

    /// A JSON string: quotes, backslashes and control characters escaped, everything else (UTF-8
    /// included) as it is. Runs without any of those are copied whole; they are found eight bytes at
    /// a time (ids almost never hold one).
    mutating func string(_ bytes: UnsafeRawBufferPointer) {
        byte(UInt8(ascii: "\""))
        var start = 0
        var position = 0
        while position < bytes.count {
            if bytes.count - position >= 8,
                !Self.mayNeedEscape(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
            {
                position += 8
                continue
            }
            let value = bytes[position]
            if value < 0x20 || value == UInt8(ascii: "\"") || value == UInt8(ascii: "\\") {
                copy(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
                byte(UInt8(ascii: "\\"))
                if value < 0x20 {
                    byte(UInt8(ascii: "u")); byte(UInt8(ascii: "0")); byte(UInt8(ascii: "0"))
                    byte(Self.hexDigit(value >> 4)); byte(Self.hexDigit(value & 0xf))
                } else {
                    byte(value)
                }
                start = position + 1
            }
            position += 1
        }
        copy(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        byte(UInt8(ascii: "\""))
    }

    /// Whether any of eight bytes may be a control character, a quote or a backslash (never false
    /// when one is; rarely true when none is).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below32 = (word &- 0x2020_2020_2020_2020) & ~word & highs != 0
        return below32 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5c))
    }

    @inline(__always)
    private mutating func copy(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        at.copyMemory(from: source, byteCount: bytes.count)
        at += bytes.count
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }
}
