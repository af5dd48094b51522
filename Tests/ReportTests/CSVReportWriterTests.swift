import Core
import Report
import Testing

@Suite struct CSVReportWriterTests {
    @Test func formulasAreEscapedAndNumbersStayNumbers() {
        let table = ReportTable(
            name: "T", fileName: "t.csv", columns: ["a", "b", "c"],
            rows: [
                [.text("=HYPERLINK(\"http://x\")"), .money(-1250, .usd), .text("-2+3")],
                [.text("+SUM(A1)"), .money(1500, .jpy), .text("@cmd")],
                [.text("plain, with comma"), .money(1250, .kwd), .integer(-4)],
                [.text("\tTAB"), .empty, .text("line\nbreak")],
            ])
        #expect(
            CSVReportWriter.render(table) == "a,b,c\r\n"
                + "\"'=HYPERLINK(\"\"http://x\"\")\",-12.50,'-2+3\r\n"
                + "'+SUM(A1),1500,'@cmd\r\n"
                + "\"plain, with comma\",1.250,-4\r\n"
                + "'\tTAB,,\"line\nbreak\"\r\n")
    }
}
