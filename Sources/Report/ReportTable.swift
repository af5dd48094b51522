import Core

/// One sheet of a report as plain data: the CSV and XLSX writers render the same tables,
/// so the two formats cannot disagree.
public struct ReportTable: Sendable {
    public let name: String
    /// File name of its CSV, e.g. "discrepancies.csv".
    public let fileName: String
    public let columns: [String]
    public var rows: [[ReportCell]]

    public init(name: String, fileName: String, columns: [String], rows: [[ReportCell]] = []) {
        self.name = name; self.fileName = fileName; self.columns = columns; self.rows = rows
    }
}

/// A cell: text, a count, or money in its currency's decimals.
public enum ReportCell: Hashable, Sendable {
    case text(String)
    case integer(Int64)
    case money(Int64, Currency)
    case empty

    /// Money as an exact decimal in major units (never through a Double).
    public var csvText: String {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .money(let minor, let currency): return DecimalAmount.format(minor, currency: currency)
        case .empty: return ""
        }
    }

    static func optionalMoney(_ minor: Int64?, _ currency: Currency) -> ReportCell { minor.map { .money($0, currency) } ?? .empty }
    static func optionalText(_ text: String?) -> ReportCell { text.map { .text($0) } ?? .empty }
}
