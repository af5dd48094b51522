import Core
import Foundation
import Store

/// Writes a period's report: report.xlsx and/or one CSV per sheet into a folder.
public enum ReportWriter {
    public enum Format: String, CaseIterable, Sendable { case xlsx, csv }

    /// A sheet's data rows at most: Excel's 1,048,576 rows less the header.
    public static let sheetRowLimit = 1_048_575

    /// `created` fixes the workbook's own timestamps (see `XLSXWorkbook`). A table longer than
    /// `sheetRowLimit` continues on "Name (2)", "Name (3)", … and the Summary says so; the CSV holds it whole.
    public static func write(
        _ tables: [ReportTable], to directory: URL, formats: Set<Format>, created: Timestamp? = nil, sheetRowLimit: Int = sheetRowLimit
    ) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        var tables = tables
        if formats.contains(.xlsx) { noteContinuedSheets(&tables, limit: sheetRowLimit) }
        if formats.contains(.xlsx) {
            let url = directory.appendingPathComponent("report.xlsx")
            let workbook = try XLSXWorkbook(path: url.path, created: created)
            for table in tables.flatMap({ sheets(of: $0, limit: sheetRowLimit) }) {
                let sheet = try workbook.add(table)
                if table.name == "Summary", let rows = ReportBuilder.openDiscrepancyRows(in: table) {
                    workbook.addColumnChart(
                        on: sheet, title: "Open discrepancies by kind", dataSheet: table.name, labelColumn: 1,
                        valueColumn: 3, firstRow: rows.lowerBound, lastRow: rows.upperBound, at: (1, 9))
                }
            }
            try workbook.close()
            written.append(url)
        }
        if formats.contains(.csv) {
            for table in tables { written.append(try CSVReportWriter.write(table, to: directory)) }
        }
        return written
    }

    /// A table as the sheets it takes: itself, or parts of `limit` rows named "Name", "Name (2)", ….
    static func sheets(of table: ReportTable, limit: Int) -> [ReportTable] {
        guard table.rows.count > limit else { return [table] }
        return stride(from: 0, to: table.rows.count, by: limit).enumerated().map { part, start in
            ReportTable(
                name: part == 0 ? table.name : "\(table.name) (\(part + 1))", fileName: table.fileName, columns: table.columns,
                rows: Array(table.rows[start..<min(start + limit, table.rows.count)]))
        }
    }

    /// A Summary row per table that continues on more sheets, naming them and the rows in all.
    static func noteContinuedSheets(_ tables: inout [ReportTable], limit: Int) {
        guard let summary = tables.firstIndex(where: { $0.name == "Summary" }) else { return }
        let width = tables[summary].columns.count
        for table in tables where table.rows.count > limit {
            let names = sheets(of: table, limit: limit).map(\.name)
            let note = "\(table.rows.count) rows: more than one sheet holds; continued on \(names.dropFirst().joined(separator: ", "))"
            // The Summary's columns: section, item, currency, count, gross, fee, net, note, then any more.
            var row: [ReportCell] = [
                .text("Sheets"), .text(table.name), .empty, .integer(Int64(table.rows.count)), .empty, .empty, .empty, .text(note),
            ]
            row += Array(repeating: .empty, count: max(0, width - row.count))
            // Before the open-discrepancy block, which the chart points at and which comes last.
            let at = ReportBuilder.openDiscrepancyRows(in: tables[summary]).map { $0.lowerBound - 1 } ?? tables[summary].rows.count
            tables[summary].rows.insert(row, at: at)
        }
    }
}
