import CXlsxWriter
import Core
import Foundation
import Store

/// Writes a period's report: report.xlsx and/or one CSV per sheet into a folder. Every table is read
/// once, its rows going to its CSV and its sheet together, and the workbook is written in libxlsxwriter's
/// constant-memory mode, so a streamed table (Matched) is never whole in memory. The Summary is made
/// last, from what the other sheets held, into the sheet added first.
public enum ReportWriter {
    public enum Format: String, CaseIterable, Sendable { case xlsx, csv }

    /// A sheet's data rows at most: Excel's 1,048,576 rows less the header.
    public static let sheetRowLimit = 1_048_575

    /// What was written: the files (the workbook first, then the Summary's CSV, then the others) and each
    /// table's rows (all of them, however many sheets they took), in the workbook's order.
    public struct Written: Sendable {
        public typealias Table = (name: String, fileName: String, rows: Int)
        public let files: [URL]
        public let tables: [Table]

        /// Rows by table name.
        public var rows: [String: Int] { Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rows) }) }
    }

    /// Tables already in memory, the one named "Summary" (if any) as the Summary.
    public static func write(
        _ tables: [ReportTable], to directory: URL, formats: Set<Format>, created: Timestamp? = nil, sheetRowLimit: Int = sheetRowLimit
    ) throws -> [URL] {
        let summary = tables.first { $0.name == "Summary" }
        let book = ReportBook(summary: { summary! }, sheets: tables.filter { $0.name != "Summary" })
        return try write(book, to: directory, formats: formats, created: created, sheetRowLimit: sheetRowLimit, withSummary: summary != nil).files
    }

    /// `created` fixes the workbook's own timestamps (see `XLSXWorkbook`). A table longer than
    /// `sheetRowLimit` continues on "Name (2)", "Name (3)", … and the Summary says so; its CSV holds it whole.
    public static func write(
        _ book: ReportBook, to directory: URL, formats: Set<Format>, created: Timestamp? = nil, sheetRowLimit: Int = sheetRowLimit,
        withSummary: Bool = true
    ) throws -> Written {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let workbookURL = directory.appendingPathComponent("report.xlsx")
        let workbook = formats.contains(.xlsx) ? try XLSXWorkbook(path: workbookURL.path, created: created, constantMemory: true) : nil
        let summarySheet = withSummary ? try workbook?.addSheet("Summary") : nil
        var csvFiles: [URL?] = Array(repeating: nil, count: book.sheets.count)
        var counted: [Written.Table?] = Array(repeating: nil, count: book.sheets.count)
        var continued: [(table: String, rows: Int, sheets: [String])] = []
        var later: [(index: Int, sheet: UnsafeMutablePointer<lxw_worksheet>?)] = []
        for (index, table) in book.sheets.enumerated() {
            if table.deferred {
                later.append((index, try workbook?.addSheet(table.name)))
                continue
            }
            let csvURL = directory.appendingPathComponent(table.fileName)
            let csv = formats.contains(.csv) ? try CSVStreamWriter(csvURL, columns: table.columns) : nil
            let sheet = workbook.map { XLSXTableStream(workbook: $0, name: table.name, columns: table.columns, limit: sheetRowLimit) }
            var count = 0
            try table.forEachRow { row in
                try csv?.write(row)
                try sheet?.write(row)
                count += 1
            }
            try csv?.close()
            try sheet?.finish()
            if csv != nil { csvFiles[index] = csvURL }
            counted[index] = (table.name, table.fileName, count)
            if let sheet, sheet.sheetNames.count > 1 { continued.append((table.name, count, sheet.sheetNames)) }
        }
        for (index, sheet) in later {
            let whole = try book.sheets[index].materialized()
            if let workbook, let sheet { workbook.fill(sheet, whole) }
            if formats.contains(.csv) { csvFiles[index] = try CSVReportWriter.write(whole, to: directory) }
            counted[index] = (whole.name, whole.fileName, whole.rows.count)
        }
        var files = csvFiles.compactMap { $0 }
        if withSummary {
            var summary = try book.summary()
            for part in continued { noteContinued(part.table, rows: part.rows, sheets: part.sheets, in: &summary) }
            if let workbook, let summarySheet {
                workbook.fill(summarySheet, summary)
                if let block = ReportBuilder.openDiscrepancyRows(in: summary) {
                    workbook.addColumnChart(
                        on: summarySheet, title: "Open discrepancies by kind", dataSheet: summary.name, labelColumn: 1,
                        valueColumn: 3, firstRow: block.lowerBound, lastRow: block.upperBound, at: (1, 10))
                }
            }
            if formats.contains(.csv) { files.insert(try CSVReportWriter.write(summary, to: directory), at: 0) }
            counted.insert((summary.name, summary.fileName, summary.rows.count), at: 0)
        }
        if let workbook {
            try workbook.close()
            files.insert(workbookURL, at: 0)
        }
        return Written(files: files, tables: counted.compactMap { $0 })
    }

    /// A Summary row for a table that continued on more sheets, naming them and the rows in all; it goes
    /// before the open-discrepancy block, which the chart points at and which comes last.
    static func noteContinued(_ table: String, rows: Int, sheets: [String], in summary: inout ReportTable) {
        let note = "\(rows) rows: more than one sheet holds; continued on \(sheets.dropFirst().joined(separator: ", "))"
        // The Summary's columns: section, item, currency, count, gross, fee, net, note, then any more.
        var row: [ReportCell] = [.text("Sheets"), .text(table), .empty, .integer(Int64(rows)), .empty, .empty, .empty, .text(note)]
        row += Array(repeating: .empty, count: max(0, summary.columns.count - row.count))
        let at = ReportBuilder.openDiscrepancyRows(in: summary).map { $0.lowerBound - 1 } ?? summary.rows.count
        summary.rows.insert(row, at: at)
    }
}
