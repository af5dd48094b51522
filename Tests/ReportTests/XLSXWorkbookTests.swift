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
                [.integer(1500), .string("#,##0")], [.number(1.25), .string("#,##0.000")], [.number(-12.34), .string("#,##0.00")],
            ])
    }
}
