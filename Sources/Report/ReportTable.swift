import Core
import Foundation

/// One sheet of a report as plain data: the CSV and XLSX writers render the same tables,
/// so the two formats cannot disagree.
public struct ReportTable: Sendable {
    public let name: String
    /// File name of its CSV, e.g. "discrepancies.csv".
    public let fileName: String
    public let columns: [String]
    public var rows: [[ReportCell]]
    /// A big table's rows (Matched), produced in order as the table is written and never all in
    /// memory; they come after `rows`.
    public var stream: (@Sendable (_ emit: ([ReportCell]) throws -> Void) throws -> Void)?
    /// Written after the other tables (its rows come from work that runs beside theirs), into a sheet
    /// added in its place. A deferred table is small: it is held whole and takes one sheet.
    public var deferred = false

    public init(
        name: String, fileName: String, columns: [String], rows: [[ReportCell]] = [],
        stream: (@Sendable (_ emit: ([ReportCell]) throws -> Void) throws -> Void)? = nil
    ) {
        self.name = name; self.fileName = fileName; self.columns = columns; self.rows = rows; self.stream = stream
    }

    public func forEachRow(_ body: ([ReportCell]) throws -> Void) throws {
        for row in rows { try body(row) }
        try stream?(body)
    }

    /// The same table with every row in memory (its stream run once).
    public func materialized() throws -> ReportTable {
        var whole = ReportTable(name: name, fileName: fileName, columns: columns)
        try forEachRow { whole.rows.append($0) }
        return whole
    }
}

/// A cell: text, a count, money in its currency's decimals, a time or a day in the report's zone, or a rate.
public enum ReportCell: Hashable, Sendable {
    case text(String)
    case integer(Int64)
    case money(Int64, Currency)
    /// A local time (`2026-09-30 23:59:59`) or day (`2026-09-30`) as the CSV shows it, and the same
    /// instant as a spreadsheet's serial number (days since 1899-12-30, local), which makes it a date cell.
    case time(String, serial: Double)
    /// A share in basis points (9,750 is 97.50 %).
    case percent(Int64)
    case empty

    /// Money as an exact decimal in major units (never through a Double).
    public var csvText: String {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .money(let minor, let currency): return DecimalAmount.format(minor, currency: currency)
        case .time(let text, _): return text
        case .percent(let basisPoints): return "\(basisPoints / 100).\(String(format: "%02d", basisPoints % 100))%"
        case .empty: return ""
        }
    }

    static func optionalMoney(_ minor: Int64?, _ currency: Currency) -> ReportCell { minor.map { .money($0, currency) } ?? .empty }
    static func optionalText(_ text: String?) -> ReportCell { text.map { .text($0) } ?? .empty }
}
