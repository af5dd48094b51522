import Foundation
import Testing

@testable import Store

@Suite struct MatchJSONCursorTests {
    /// What JSON asks for, one character at a time: the reference the cursor's eight-bytes-at-a-time scan
    /// must agree with.
    static func expected(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
            case ..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [UInt8(ascii: "\"")]
    }

    static func written(_ text: [UInt8]) -> [UInt8] {
        var room = [UInt8](repeating: 0, count: 6 * text.count + 2)
        let count = room.withUnsafeMutableBytes { out in
            text.withUnsafeBytes { bytes in
                var cursor = MatchJSONCursor(at: out.baseAddress!)
                cursor.string(bytes)
                return cursor.at - out.baseAddress!
            }
        }
        return Array(room[..<count])
    }

    /// Each character that needs escaping, at every position of a 20-byte id: in the first word, the
    /// second, across them, and in the tail the scan finishes byte by byte.
    @Test func escapesWhateverItIsAndWhereverItSits() {
        for special: UInt8 in [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0a, 0x01, 0x1f, 0x00] {
            for position in 0..<20 {
                var text = [UInt8](repeating: UInt8(ascii: "a"), count: 20)
                text[position] = special
                #expect(Self.written(text) == Self.expected(text), "byte \(special) at \(position)")
            }
        }
        // Bytes that need nothing, UTF-8 and DEL among them, come out as they went in.
        let plain = Array("ch_3Nf9é€🧾 ~\u{7f}".utf8)
        #expect(Self.written(plain) == [UInt8(ascii: "\"")] + plain + [UInt8(ascii: "\"")])
    }

    @Test func integersAtTheirExtremes() {
        for value: Int64 in [0, 7, -7, 10, 99, 100, 1_789_999_600_000_000, Int64.max, Int64.min, Int64.min + 1] {
            var room = [UInt8](repeating: 0, count: 24)
            let count = room.withUnsafeMutableBytes { out in
                var cursor = MatchJSONCursor(at: out.baseAddress!)
                cursor.integer(value)
                return cursor.at - out.baseAddress!
            }
            #expect(String(decoding: room[..<count], as: UTF8.self) == String(value))
        }
    }
}
