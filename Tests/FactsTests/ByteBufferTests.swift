import Testing

@testable import Facts

@Suite struct ByteBufferTests {
    static func text(_ buffer: ByteBuffer) -> String { buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    @Test func appendsAcrossGrowthAndKeepsEveryByte() {
        var buffer = ByteBuffer(capacity: 1)
        var expected = ""
        for k in 0..<1_000 {
            let piece = "id_\(k);"
            buffer.append(piece)
            expected += piece
        }
        #expect(Self.text(buffer) == expected)
        #expect(buffer.count == expected.utf8.count)
        #expect(buffer.capacity >= buffer.count)
        #expect(buffer[3] == UInt8(ascii: "0"))
    }

    @Test func aCopyIsNotChangedByAppendsToTheOriginal() {
        var original = ByteBuffer(capacity: 1_024)
        original.append("ch_1")
        let copy = original
        original.append("+re_2")
        var other = copy
        other.append("!")
        #expect(Self.text(copy) == "ch_1")
        #expect(Self.text(original) == "ch_1+re_2")
        #expect(Self.text(other) == "ch_1!")
    }

    @Test func fieldsWrittenInPlaceLandAfterWhatWasThere() {
        var buffer = ByteBuffer()
        buffer.append("ab")
        buffer.append(count: 6) { at in
            at.storeBytes(of: UInt32(0x6463_6261).littleEndian, as: UInt32.self)
            at.storeBytes(of: UInt8(ascii: "!"), toByteOffset: 4, as: UInt8.self)
            at.storeBytes(of: UInt8(ascii: "?"), toByteOffset: 5, as: UInt8.self)
        }
        buffer.append(bytesOf: UInt8(ascii: "z"))
        #expect(Self.text(buffer) == "ababcd!?z")
    }
}
