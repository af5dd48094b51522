import CXlsxWriter
import Core
import Foundation

/// Writes report tables into one workbook through libxlsxwriter: a bold frozen header row,
/// an autofilter, column widths, and money cells as numbers formatted with their currency's
/// decimals (0 for JPY, 2 for USD, 3 for KWD).
public final class XLSXWorkbook {
    private let workbook: UnsafeMutablePointer<lxw_workbook>
    private let header: UnsafeMutablePointer<lxw_format>
    private var moneyFormats: [Int: UnsafeMutablePointer<lxw_format>] = [:]
    private let timeFormat: UnsafeMutablePointer<lxw_format>
    private let dayFormat: UnsafeMutablePointer<lxw_format>
    private let percentFormat: UnsafeMutablePointer<lxw_format>
    private let path: String

    /// `created` is the document's creation time and its zip entries' times: given, the same tables give
    /// the same bytes (an export's workbook); nil, libxlsxwriter takes the clock's.
    /// `constantMemory`: each row goes to disk as the next one starts (libxlsxwriter's mode for big
    /// sheets; rows must then come in order, and strings are written inline).
    public init(path: String, created: Timestamp? = nil, constantMemory: Bool = false) throws(ReportError) {
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? UInt8(LXW_TRUE.rawValue) : UInt8(LXW_FALSE.rawValue)
        guard let workbook = workbook_new_opt(path, &options) else { throw ReportError("cannot create workbook \(path)") }
        self.workbook = workbook
        self.path = path
        if let created {
            var properties = lxw_doc_properties()
            properties.created = time_t(created.seconds)
            workbook_set_properties(workbook, &properties)
        }
        header = workbook_add_format(workbook)
        format_set_bold(header)
        format_set_bg_color(header, 0xDDEBF7)
        (timeFormat, dayFormat, percentFormat) = (workbook_add_format(workbook), workbook_add_format(workbook), workbook_add_format(workbook))
        format_set_num_format(timeFormat, "yyyy-mm-dd hh:mm:ss")
        format_set_num_format(dayFormat, "yyyy-mm-dd")
        format_set_num_format(percentFormat, "0.00%")
    }

    /// Adds a sheet with a table's header and rows; returns it for charts.
    @discardableResult
    public func add(_ table: ReportTable) throws(ReportError) -> UnsafeMutablePointer<lxw_worksheet> {
        let sheet = try addSheet(table.name)
        fill(sheet, table)
        return sheet
    }

    /// An empty sheet, placed after the ones added before it (a Summary filled last still comes first).
    public func addSheet(_ name: String) throws(ReportError) -> UnsafeMutablePointer<lxw_worksheet> {
        guard let sheet = workbook_add_worksheet(workbook, name) else { throw ReportError("cannot add sheet \(name)") }
        return sheet
    }

    /// Writes a table whose rows are in memory onto a sheet added for it.
    public func fill(_ sheet: UnsafeMutablePointer<lxw_worksheet>, _ table: ReportTable) {
        begin(sheet, columns: table.columns, widths: Self.widths(table.columns, table.rows))
        for (index, row) in table.rows.enumerated() { write(row, row: index + 1, on: sheet) }
        finish(sheet, columns: table.columns.count, rows: table.rows.count)
    }

    /// The bold header row and the column widths. Rows then go in order (the workbook may be in
    /// constant-memory mode, which writes each row out as the next one starts).
    func begin(_ sheet: UnsafeMutablePointer<lxw_worksheet>, columns: [String], widths: [Double]) {
        for (column, title) in columns.enumerated() {
            worksheet_write_string(sheet, 0, lxw_col_t(column), title, header)
            worksheet_set_column(sheet, lxw_col_t(column), lxw_col_t(column), widths[column], nil)
        }
    }

    func write(_ cells: [ReportCell], row: Int, on sheet: UnsafeMutablePointer<lxw_worksheet>) {
        let r = lxw_row_t(row)
        for (column, cell) in cells.enumerated() {
            let c = lxw_col_t(column)
            switch cell {
            case .text(let value): worksheet_write_string(sheet, r, c, value, nil)
            case .integer(let value): worksheet_write_number(sheet, r, c, Double(value), nil)
            case .money(let minor, let currency):
                // The one place money becomes a Double: a spreadsheet number, shown with exact decimals.
                let decimals = DecimalAmount.shownDecimals(minor, currency: currency)
                worksheet_write_number(sheet, r, c, Double(minor) / pow(10, Double(currency.apiExponent)), moneyFormat(decimals))
            case .time(let text, let serial):
                worksheet_write_number(sheet, r, c, serial, text.utf8.count == 10 ? dayFormat : timeFormat)
            case .percent(let basisPoints): worksheet_write_number(sheet, r, c, Double(basisPoints) / 10_000, percentFormat)
            case .empty: break
            }
        }
    }

    /// The frozen header, the autofilter over `rows` data rows, and the print setup.
    func finish(_ sheet: UnsafeMutablePointer<lxw_worksheet>, columns: Int, rows: Int) {
        worksheet_freeze_panes(sheet, 1, 0)
        // Printed legibly: landscape, one page wide, the header row on every page.
        worksheet_set_landscape(sheet)
        worksheet_fit_to_pages(sheet, 1, 0)
        worksheet_repeat_rows(sheet, 0, 0)
        if columns > 0 { worksheet_autofilter(sheet, 0, 0, lxw_row_t(rows), lxw_col_t(columns - 1)) }
    }

    /// A column chart of one numeric column against a label column, placed on `sheet`.
    public func addColumnChart(
        on sheet: UnsafeMutablePointer<lxw_worksheet>, title: String, dataSheet: String,
        labelColumn: Int, valueColumn: Int, firstRow: Int, lastRow: Int, at anchor: (row: Int, column: Int)
    ) {
        guard lastRow >= firstRow, let chart = workbook_add_chart(workbook, UInt8(LXW_CHART_COLUMN.rawValue)) else { return }
        let categories = Self.range(dataSheet, labelColumn, firstRow, lastRow)
        let values = Self.range(dataSheet, valueColumn, firstRow, lastRow)
        chart_add_series(chart, categories, values)
        chart_title_set_name(chart, title)
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue))
        worksheet_insert_chart(sheet, lxw_row_t(anchor.row), lxw_col_t(anchor.column), chart)
    }

    public func close() throws(ReportError) {
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else {
            throw ReportError("cannot write workbook \(path): \(String(cString: lxw_strerror(result)))")
        }
    }

    private func moneyFormat(_ decimals: Int) -> UnsafeMutablePointer<lxw_format> {
        if let format = moneyFormats[decimals] { return format }
        let format = workbook_add_format(workbook)!
        format_set_num_format(format, decimals == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: decimals))
        moneyFormats[decimals] = format
        return format
    }

    /// Widths that fit the header and the first 200 rows (a sample is enough: rows of one table look alike).
    static func widths(_ columns: [String], _ rows: [[ReportCell]]) -> [Double] {
        columns.indices.map { column in
            let longest = rows.prefix(200).map { $0.indices.contains(column) ? $0[column].csvText.count : 0 }.max() ?? 0
            return Double(min(60, max(columns[column].count, longest) + 2))
        }
    }

    private static func range(_ sheet: String, _ column: Int, _ first: Int, _ last: Int) -> String {
        let letter = String(UnicodeScalar(UInt8(65 + column)))
        return "='\(sheet)'!$\(letter)$\(first + 1):$\(letter)$\(last + 1)"
    }
}

public struct ReportError: Error, Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
