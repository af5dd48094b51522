import Extract
import Foundation
import TestSupport
import Testing

/// The reader takes its input in chunks of any size: every record, line number and error must be the
/// same wherever the chunks happen to end (inside a CRLF, a doubled quote or a UTF-8 sequence).
@Suite struct CSVReaderChunkTests {
    static let lines: [String] = [
        "\u{FEFF}id,memo,amount\r\n", "1,\"say \"\"hi\"\"\",1.00\r\n", "2,\"two\r\nlines\",2.00\n", "3,é🧾ł,3.00\r",
        "4,\"\",\"\"\"\"\r\n", "\n", "5,\"mac\rline\",5.00",
    ]
    static let text: [UInt8] = Array(lines.joined().utf8)

    static func rendered(_ records: [CSVReader.Record]) -> [String] { records.map { "\($0.line): \($0.fields)" } }

    static func chunked(_ bytes: [UInt8], size: Int) throws(CSVReader.Failure) -> [CSVReader.Record] {
        var reader = CSVReader()
        var records: [CSVReader.Record] = []
        var start = 0
        while start < bytes.count {
            try reader.feed(Array(bytes[start..<min(start + size, bytes.count)])) {
                records.append($0); return true
            }
            start += size
        }
        try reader.finish {
            records.append($0); return true
        }
        return records
    }

    @Test func recordsAreTheSameWhateverTheChunkSize() throws {
        let whole = Self.rendered(try CSVReader.records(Self.text))
        // Counted by hand: the header, five records (a blank line skipped), their first lines.
        #expect(
            whole == [
                "1: [\"id\", \"memo\", \"amount\"]", "2: [\"1\", \"say \\\"hi\\\"\", \"1.00\"]", "3: [\"2\", \"two\\r\\nlines\", \"2.00\"]",
                "5: [\"3\", \"é🧾ł\", \"3.00\"]", "6: [\"4\", \"\", \"\\\"\"]", "8: [\"5\", \"mac\\rline\", \"5.00\"]",
            ])
        for size in 1...19 { #expect(Self.rendered(try Self.chunked(Self.text, size: size)) == whole, "chunks of \(size)") }
    }

    @Test func aBadByteIsFoundAtTheSameOffsetWhateverTheChunkSize() {
        // A lone continuation byte where "é" starts, after "3," on line 5: the BOM (3), "id,memo,amount\r\n" (16),
        // the second line (21), the third with its quoted CRLF (20), "3," (2): byte 62.
        var bytes = Self.text
        let at = 3 + 16 + 21 + 20 + 2
        #expect(Array(bytes[at..<(at + 2)]) == Array("é".utf8))
        bytes[at] = 0x80
        for size in [1, 2, 3, 5, 8, 64, 4_096] {
            #expect(throws: CSVReader.Failure.self) { try Self.chunked(bytes, size: size) }
            do throws(CSVReader.Failure) { _ = try Self.chunked(bytes, size: size) } catch {
                #expect(error.line == 5 && error.column == 2, "chunks of \(size)")
                #expect(error.message == "bytes that are not UTF-8 at byte offset 62 (0x80; save the file as UTF-8)", "chunks of \(size)")
            }
        }
    }

    @Test func aFileIsReadInChunksAsItsBytesWouldBe() throws {
        let path = TestScratch.directory.appendingPathComponent("chunks-\(UUID().uuidString).csv").path
        // Larger than one chunk (1 MiB): records cross the chunk's edge.
        var text = "id,memo\n"
        for k in 0..<40_000 { text += "\(k),\"memo \(k), with \"\"quotes\"\" and ✓\"\r\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var fromFile: [CSVReader.Record] = []
        try CSVReader.read(fileAt: path) {
            fromFile.append($0); return true
        }
        #expect(Array(text.utf8).count > CSVReader.chunkBytes)
        #expect(Self.rendered(fromFile) == Self.rendered(try CSVReader.records(Array(text.utf8))))
        #expect(fromFile.count == 40_001 && fromFile.last?.fields == ["39999", "memo 39999, with \"quotes\" and ✓"])
    }
}
