import Core
import Foundation

/// Writes a table as RFC 4180 CSV in UTF-8 (no BOM, CRLF). Text that a spreadsheet would run as a
/// formula (starting with = + - @, a tab or a carriage return) is prefixed with a quote mark;
/// numbers are written as numbers, so "-12.50" stays a number.
public enum CSVReportWriter {
    public static func render(_ table: ReportTable) -> String {
        var text = CSVField.line(table.columns)
        for row in table.rows { text += line(row) }
        return text
    }

    /// One record: text escaped where a spreadsheet would run it, numbers as they are.
    static func line(_ row: [ReportCell]) -> String {
        CSVField.line(
            row.map { cell in
                if case .text(let value) = cell { return escapeFormula(value) }
                return cell.csvText
            })
    }

    static func line(_ header: [String]) -> String { CSVField.line(header) }

    public static func write(_ table: ReportTable, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(table.fileName)
        try Data(render(table).utf8).write(to: url, options: .atomic)
        return url
    }

    public static func escapeFormula(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }
}
