import CXlsxWriter

/// Writes one table's rows onto as many sheets as they need, as they come: the first 200 are held
/// back to size the columns, then every row goes straight to the sheet; past `limit` rows a sheet is
/// finished and "Name (2)", "Name (3)", … carry on with the same header and widths.
final class XLSXTableStream {
    private let workbook: XLSXWorkbook
    private let name: String
    private let columns: [String]
    private let limit: Int
    private var sample: [[ReportCell]] = []
    private var widths: [Double]?
    private var sheet: UnsafeMutablePointer<lxw_worksheet>?
    private var rowsOnSheet = 0
    private(set) var sheetNames: [String] = []

    init(workbook: XLSXWorkbook, name: String, columns: [String], limit: Int) {
        self.workbook = workbook; self.name = name; self.columns = columns; self.limit = limit
    }

    func write(_ row: [ReportCell]) throws(ReportError) {
        guard widths != nil else {
            sample.append(row)
            if sample.count == 200 { try release() }
            return
        }
        try put(row)
    }

    func finish() throws(ReportError) {
        if widths == nil { try release() }
        if sheet == nil { try open() }
        if let sheet { workbook.finish(sheet, columns: columns.count, rows: rowsOnSheet) }
    }

    /// Sizes the columns from the rows held back, then writes them.
    private func release() throws(ReportError) {
        widths = XLSXWorkbook.widths(columns, sample)
        for row in sample { try put(row) }
        sample = []
    }

    private func put(_ row: [ReportCell]) throws(ReportError) {
        if sheet == nil || rowsOnSheet == limit {
            if let sheet { workbook.finish(sheet, columns: columns.count, rows: rowsOnSheet) }
            try open()
        }
        rowsOnSheet += 1
        workbook.write(row, row: rowsOnSheet, on: sheet!)
    }

    private func open() throws(ReportError) {
        let title = sheetNames.isEmpty ? name : "\(name) (\(sheetNames.count + 1))"
        let next = try workbook.addSheet(title)
        workbook.begin(next, columns: columns, widths: widths ?? XLSXWorkbook.widths(columns, []))
        sheetNames.append(title)
        sheet = next
        rowsOnSheet = 0
    }
}
