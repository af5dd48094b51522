import Core
import Foundation
import Report
import TestSupport
import Testing

@Suite struct XLSXWorkbookTests {
    @Test func moneyHasItsCurrencysDecimalsAndSheetsHaveFrozenFilteredHeaders() throws {
        let path = TestScratch.directory.appendingPathComponent("payrecon-\(UUID().uuidString).xlsx").path
        let workbook = try XLSXWorkbook(path: path)
        try workbook.add(
            ReportTable(
                name: "Amounts", fileName: "a.csv", columns: ["currency", "amount"],
                rows: [
                    [.text("JPY"), .money(1500, .jpy)], [.text("KWD"), .money(1250, .kwd)], [.text("USD"), .money(-1234, .usd)],
                ]))
        try workbook.close()
        let sheet = try #require(try WorkbookInspection.inspect(path).detail["Amounts"])
        #expect(sheet.header == ["currency", "amount"])
        #expect(sheet.headerBold)
        #expect(sheet.freeze == "A2")
        #expect(sheet.autofilter == "A1:B4")
        #expect(
            sheet.cells.map { $0[1] } == [
                [.integer(1500), .string("#,##0"), .bool(false)], [.number(1.25), .string("#,##0.000"), .bool(false)],
                [.number(-12.34), .string("#,##0.00"), .bool(false)],
            ])
    }

    static func path(_ name: String) -> URL { TestScratch.directory.appendingPathComponent("\(name)-\(UUID().uuidString)") }

    @Test func timesAndDaysAreDateCellsAndRatesArePercentages() throws {
        let path = Self.path("dates").path + ".xlsx"
        let workbook = try XLSXWorkbook(path: path)
        // 2026-09-30 is day 20,726 after 1970-01-01, and 1970-01-01 is the spreadsheet's day 25,569.
        let day = 20_726.0 + 25_569
        try workbook.add(
            ReportTable(
                name: "Times", fileName: "t.csv", columns: ["at", "day", "rate"],
                rows: [[.time("2026-09-30 23:59:59", serial: day + 86_399.0 / 86_400), .time("2026-09-30", serial: day), .percent(9_750)]]))
        try workbook.close()
        let row = try #require(try WorkbookInspection.inspect(path).detail["Times"]?.cells.first)
        #expect(row[0] == [.string("2026-09-30 23:59:59"), .string("yyyy-mm-dd hh:mm:ss"), .bool(true)])
        #expect(row[1] == [.string("2026-09-30 00:00:00"), .string("yyyy-mm-dd"), .bool(true)])
        #expect(row[2] == [.number(0.975), .string("0.00%"), .bool(false)])
        #expect(ReportCell.percent(9_750).csvText == "97.50%")
    }

    @Test func aTableLongerThanASheetContinuesOnNumberedSheetsAndLosesNoRow() throws {
        let folder = Self.path("split")
        let matched = ReportTable(
            name: "Matched", fileName: "matched.csv", columns: ["n"], rows: (1...25).map { [.integer(Int64($0))] })
        let summary = ReportTable(name: "Summary", fileName: "summary.csv", columns: ReportBuilder.summaryColumns, rows: [])
        _ = try ReportWriter.write([summary, matched], to: folder, formats: [.xlsx, .csv], sheetRowLimit: 10)
        let workbook = try WorkbookInspection.inspect(folder.appendingPathComponent("report.xlsx").path)
        #expect(workbook.sheets == ["Summary", "Matched", "Matched (2)", "Matched (3)"])
        #expect(["Matched", "Matched (2)", "Matched (3)"].map { workbook.detail[$0]?.rows } == [10, 10, 5])
        #expect(workbook.detail["Matched (3)"]?.cells.map { $0[0][0] } == (21...25).map { .integer(Int64($0)) })
        #expect(workbook.detail["Matched (2)"]?.header == ["n"])
        let note = try #require(workbook.detail["Summary"]?.cells.first)
        #expect(note[0][0] == .string("Sheets") && note[1][0] == .string("Matched") && note[3][0] == .integer(25))
        #expect(note[7][0] == .string("25 rows: more than one sheet holds; continued on Matched (2), Matched (3)"))
        let csv = try String(contentsOf: folder.appendingPathComponent("matched.csv"), encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 26)
    }

    @Test func textASpreadsheetWouldRunIsEscapedInCSVAndPlainTextInTheWorkbook() throws {
        let folder = Self.path("hostile")
        let hostile = ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "\tlead", "-1+1"]
        let table = ReportTable(
            name: "Ledger-only", fileName: "ledger_only.csv", columns: ["ledger_entry_id", "amount"],
            rows: hostile.map { [.text($0), .money(-150, .usd)] })
        _ = try ReportWriter.write([table], to: folder, formats: [.xlsx, .csv])
        let csv = try String(contentsOf: folder.appendingPathComponent("ledger_only.csv"), encoding: .utf8)
        #expect(
            csv.components(separatedBy: "\r\n").filter { !$0.isEmpty } == [
                "ledger_entry_id,amount", "\"'=HYPERLINK(\"\"http://x\"\")\",-1.50", "'+cmd|' /C calc'!A0,-1.50", "'@SUM(1),-1.50",
                "'\tlead,-1.50", "'-1+1,-1.50",
            ])
        // In the workbook they are strings: no formula element anywhere, and openpyxl reads the text back.
        let xml = try CommandOutput.run(["unzip", "-p", folder.appendingPathComponent("report.xlsx").path, "xl/worksheets/sheet1.xml"])
        #expect(!xml.contains("<f>") && !xml.contains("<f "))
        let cells = try #require(try WorkbookInspection.inspect(folder.appendingPathComponent("report.xlsx").path).detail["Ledger-only"]?.cells)
        #expect(cells.map { $0[0][0] } == hostile.map { .string($0) })
        #expect(cells.map { $0[1][0] } == Array(repeating: .number(-1.5), count: hostile.count))
    }
}
