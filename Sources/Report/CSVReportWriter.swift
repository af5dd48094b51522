import Core
import Foundation

/// Writes a table as RFC 4180 CSV in UTF-8 (no BOM, CRLF). Text that a spreadsheet would run as a
/// formula (starting with = + - @, a tab or a carriage return) is prefixed with a quote mark;
/// numbers are written as numbers, so "-12.50" stays a number.
public enum CSVReportWriter {
    public static func render(_ table: ReportTable) -> String {
        var bytes = Array(CSVField.line(table.columns).utf8)
        for row in table.rows { append(row, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One record's bytes: text escaped where a spreadsheet would run it and quoted where RFC 4180 says,
    /// numbers as they are. Written straight into the buffer: a String per field, joined, was most of a
    /// million-row CSV's time.
    static func append(_ row: [ReportCell], to buffer: inout [UInt8]) {
        for (index, cell) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            switch cell {
            case .text(let value): appendText(value, to: &buffer)
            case .empty: break
            // Numbers, times and rates hold no comma, quote or line break.
            default: buffer.append(contentsOf: cell.csvText.utf8)
            }
        }
        buffer.append(UInt8(ascii: "\r"))
        buffer.append(UInt8(ascii: "\n"))
    }

    static func appendText(_ value: String, to buffer: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            // The formula characters are ASCII: the first byte says what the first character is.
            let escape = bytes.first.map { "=+-@\t\r".utf8.contains($0) } ?? false
            let quote = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            if quote { buffer.append(UInt8(ascii: "\"")) }
            if escape { buffer.append(UInt8(ascii: "'")) }
            if quote {
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                    buffer.append(byte)
                }
                buffer.append(UInt8(ascii: "\""))
            } else {
                buffer.append(contentsOf: bytes)
            }
        }
    }

    public static func write(_ table: ReportTable, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(table.fileName)
        try Data(render(table).utf8).write(to: url, options: .atomic)
        return url
    }
}
