import Core
import Extract
import Foundation
import TestSupport
import Testing

@Suite struct LedgerParserTests {
    func parse(_ text: String, mapping: ColumnMapping = ColumnMapping(columns: [:])) throws(LedgerImportError) -> [LedgerEntry] {
        try LedgerParser(fileName: "ledger.csv", mapping: mapping).parse(Array(text.utf8))
    }

    func diagnostics(_ text: String) -> [String] {
        do { _ = try parse(text); return [] } catch { return error.diagnostics.map(\.description) }
    }

    @Test func readsColumnsInAnyOrderWithQuotingAndExtraColumns() throws {
        let text =
            "\u{FEFF}memo,Currency,created_at,amount,type,order_id,entry_id,stripe_id\r\n"
            + "\"Invoice 7, \"\"rush\"\"\nline two\",eur,2026-09-30T23:59:59.5+02:00,12.30,Payment,o1,e1,pi_1\r\n"
            + ",JPY,2026-09-30T10:00:00Z,1500,refund,o2,e2,\r\n"
            + "\n"
            + "x,kwd,2026-09-30T10:00:00Z,1.250,dispute,o3,e3,dp_9\n"
        let entries = try parse(text)
        #expect(entries.map(\.entryId) == ["e1", "e2", "e3"])
        #expect(entries[0].amount == Money(minorUnits: 1230, currency: .eur))
        #expect(entries[0].kind == .payment)
        #expect(entries[0].stripeId == "pi_1")
        #expect(entries[0].createdAt.iso8601 == "2026-09-30T21:59:59.5Z")
        #expect(entries[1].amount == Money(minorUnits: 1500, currency: .jpy))
        #expect(entries[1].stripeId == nil)
        #expect(entries[2].amount == Money(minorUnits: 1250, currency: .kwd))
        #expect(entries[2].supplierId == nil)
    }

    @Test func aMissingColumnNamesTheHeaderLine() {
        let found = diagnostics("entry_id,order_id,type,currency,created_at\ne1,o1,payment,USD,2026-09-30T10:00:00Z\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("ledger.csv:1: error: amount: missing column 'amount'"))
    }

    @Test func badValuesNameLineColumnAndField() {
        let header = "entry_id,order_id,type,amount,currency,stripe_id,created_at\n"
        let found = diagnostics(
            header
                + "e1,o1,payment,12.345,USD,,2026-09-30T10:00:00Z\n"
                + "e2,o2,payment,10.00,USD,,30/09/2026\n"
                + "e3,o3,payment,10.00,XYZ,,2026-09-30T10:00:00Z\n"
                + "e4,o4,payment,-1.00,USD,,2026-09-30T10:00:00Z\n"
                + "e5,o5,refund,1.00,USD,pi_1,2026-09-30T10:00:00Z\n"
                + "e6,o6,fee,1.00,USD,,2026-09-30T10:00:00Z\n"
                + "e1,o7,payment,1.00,USD,,2026-09-30T10:00:00Z\n"
                + "e8,o8,payment,\"1 000,00\",EUR,,2026-09-30T10:00:00Z\n")
        #expect(
            found == [
                "ledger.csv:2:4: error: amount: '12.345' has more decimals than USD allows (2)",
                "ledger.csv:3:7: error: created_at: '30/09/2026' is not an ISO 8601 time with a zone (expected e.g. 2026-09-30T23:59:59Z or 2026-09-30T12:00:00+02:00)",
                "ledger.csv:4:5: error: currency: unknown currency 'XYZ' (expected an ISO 4217 code such as USD, EUR, JPY)",
                "ledger.csv:5:4: error: amount: '-1.00' must be positive (refunds and disputes are positive too; the type says the direction)",
                "ledger.csv:6:6: error: stripe_id: 'pi_1' does not fit a refund (expected an id starting with re_ or pyr_)",
                "ledger.csv:7:3: error: type: 'fee' is not a type (expected payment, refund or dispute)",
                "ledger.csv:8:1: error: entry_id: duplicate entry_id 'e1' (first on line 2)",
                "ledger.csv:9:4: error: amount: '1 000,00' is not a decimal amount (expected digits with an optional '.' and fraction, e.g. 1234.56)",
            ])
    }

    @Test func brokenQuotingIsReportedWhereItStarts() {
        let found = diagnostics("entry_id,order_id,type,amount,currency,created_at\ne1,o1,payment,\"10.00,USD,2026-09-30T10:00:00Z\n")
        #expect(found == ["ledger.csv:2: error: a quoted field is never closed"])
        let stray = diagnostics("entry_id,order_id,type,amount,currency,created_at\ne1,o\"1,payment,1,USD,2026-09-30T10:00:00Z\n")
        #expect(stray.first == "ledger.csv:2:2: error: a quote inside an unquoted field (quote the whole field and double its quotes)")
        #expect(diagnostics("") == ["ledger.csv:1: error: the file is empty (expected a header row)"])
    }

    @Test func aMappingReadsOtherLayouts() throws {
        let mapping = ColumnMapping(columns: ["entry_id": "Booking", "amount": "Gross", "created_at": "Booked At"])
        let entries = try parse(
            "Booking,order_id,type,Gross,currency,Booked At\nb1,o1,payment,9.99,usd,2026-09-30T10:00:00Z\n",
            mapping: mapping)
        #expect(entries.first?.entryId == "b1")
        #expect(entries.first?.amount == Money(minorUnits: 999, currency: .usd))
    }

    @Test func aMappingReadsAmountsInMinorUnitsByTheCurrencysDecimals() throws {
        let mapping = ColumnMapping(columns: ["amount": "Cents"], amounts: .minorUnits)
        let header = "entry_id,order_id,type,Cents,currency,created_at\n"
        let entries = try parse(
            header + "m1,o1,payment,1234,usd,2026-09-30T10:00:00Z\nm2,o2,payment,1500,JPY,2026-09-30T10:00:00Z\n"
                + "m3,o3,payment,1250,KWD,2026-09-30T10:00:00Z\n", mapping: mapping)
        #expect(entries.map(\.amount.description) == ["12.34 USD", "1500 JPY", "1.250 KWD"])
        let refused: [String]
        do {
            _ = try parse(header + "m4,o4,payment,12.34,USD,2026-09-30T10:00:00Z\nm5,o5,payment,-50,USD,2026-09-30T10:00:00Z\n", mapping: mapping)
            refused = []
        } catch { refused = error.diagnostics.map(\.description) }
        #expect(
            refused == [
                "ledger.csv:2:4: error: amount: '12.34' is not a whole number of minor units (the column mapping says amounts are in minor units: 1234 is 12.34 USD)",
                "ledger.csv:3:4: error: amount: '-50' must be positive (refunds and disputes are positive too; the type says the direction)",
            ])
    }

    @Test func aFileOfOneTypeNeedsNoTypeColumnAndRefusesRowsOfAnother() throws {
        let refunds = ColumnMapping().refunds
        let entries = try parse("entry_id,order_id,amount,currency,created_at\nr1,o1,5.00,USD,2026-09-30T10:00:00Z\n", mapping: refunds)
        #expect(entries.map(\.kind) == [.refund])
        let refused: [String]
        do {
            _ = try parse("entry_id,order_id,type,amount,currency,created_at\nr2,o2,payment,5.00,USD,2026-09-30T10:00:00Z\n", mapping: refunds)
            refused = []
        } catch { refused = error.diagnostics.map(\.description) }
        #expect(refused == ["ledger.csv:2:3: error: type: 'payment' in a file of refunds only (expected refund, or no type column)"])
    }

    @Test func aMappingFileSaysWhatIsWrongWithIt() throws {
        func problem(_ json: String) -> String? {
            let path = TestScratch.directory.appendingPathComponent("mapping-\(UUID().uuidString).json").path
            try? Data(json.utf8).write(to: URL(fileURLWithPath: path))
            do { _ = try ColumnMapping.load(path: path); return nil } catch {
                return error.diagnostics.first?.message.replacingOccurrences(of: ColumnMapping.expected, with: "(…)")
            }
        }
        #expect(
            problem(#"{"columns": {"amont": "Gross"}}"#)
                == "not a column mapping: columns: 'amont' is not a ledger column (expected entry_id, order_id, type, amount, currency, created_at, stripe_id, supplier_id) (…)"
        )
        #expect(problem(#"{"amounts": "cents"}"#) == "not a column mapping: amounts: 'cents' is not a unit (expected major_units or minor_units) (…)")
        #expect(problem(#"{"refunds": {"amounts": 3}}"#) == "not a column mapping: refunds.amounts: not text (…)")
        #expect(problem("{") == "not a column mapping: not JSON (…)")
        let layout = try ColumnMapping.load(path: packageRoot.appendingPathComponent("fixtures/ledger-mapping.example.json").path)
        #expect(layout.columns["amount"] == "Gross" && layout.amounts == .majorUnits)
        #expect(layout.refunds.kind == .refund && layout.refunds.columns["entry_id"] == "Refund ID" && layout.refunds.amounts == .minorUnits)
    }

    /// The duplicate check's table grows many times over 10,000 ids and still finds the first line of each.
    @Test func aDuplicateAfterThousandsOfIdsNamesTheFirstLine() {
        var text = "entry_id,order_id,type,amount,currency,created_at\n"
        for k in 0..<10_000 { text += "id-\(k),o\(k),payment,1.00,USD,2026-09-30T10:00:00Z\n" }
        text += "id-0,o0,payment,1.00,USD,2026-09-30T10:00:00Z\nid-9999,o1,payment,1.00,USD,2026-09-30T10:00:00Z\n"
        #expect(
            diagnostics(text) == [
                "ledger.csv:10002:1: error: entry_id: duplicate entry_id 'id-0' (first on line 2)",
                "ledger.csv:10003:1: error: entry_id: duplicate entry_id 'id-9999' (first on line 10001)",
            ])
    }
}
