import Core
import Foundation
import Store

/// Writes a period's report: report.xlsx and/or one CSV per sheet into a folder.
public enum ReportWriter {
    public enum Format: String, CaseIterable, Sendable { case xlsx, csv }

    /// `created` fixes the workbook's own timestamps (see `XLSXWorkbook`).
    public static func write(_ tables: [ReportTable], to directory: URL, formats: Set<Format>, created: Timestamp? = nil) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        if formats.contains(.xlsx) {
            let url = directory.appendingPathComponent("report.xlsx")
            let workbook = try XLSXWorkbook(path: url.path, created: created)
            for table in tables {
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
}
