import Core
import Extract
import Foundation
import Stages
import Store
import TestSupport
import Testing

/// The import parses on one thread while it writes on another, chunk by chunk, in one transaction.
@Suite struct LedgerImportStageTests {
    static func file(rows: Int, badLine: Int? = nil) throws -> String {
        var text = "entry_id,order_id,type,amount,currency,created_at\n"
        for k in 2...(rows + 1) {
            let amount = k == badLine ? "1.234" : "\(k).00"
            text += "e\(k),o\(k),payment,\(amount),USD,2026-09-30T10:00:00Z\n"
        }
        let path = TestScratch.directory.appendingPathComponent("chunks-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func store() throws -> PayreconStore {
        try PayreconStore(path: TestScratch.directory.appendingPathComponent("chunks-\(UUID().uuidString).sqlite").path)
    }

    @Test func manyChunksArriveWhole() async throws {
        let store = try Self.store()
        // 20,000 rows: three chunks of 8,192 and a short one.
        let summary = try await LedgerImportStage(runner: StageRunner(store: store)).run(
            path: try Self.file(rows: 20_000), mapping: ColumnMapping(columns: [:]))
        #expect(summary.added == 20_000 && summary.replaced == 0 && summary.unchanged == 0)
        #expect(try store.ledgerCount() == 20_000)
        #expect(try store.runs().last?.summary == "entries=20000 added=20000 replaced=0 unchanged=0")
    }

    @Test func aBadRowAfterChunksWereWrittenLeavesTheStoreAsItWas() async throws {
        let store = try Self.store()
        let runner = StageRunner(store: store)
        _ = try runner.store.importLedger(
            [
                LedgerEntry(
                    entryId: "e0", orderId: "o0", kind: .payment, amount: Money(minorUnits: 100, currency: .usd), stripeId: nil,
                    createdAt: Timestamp(seconds: 0), supplierId: nil)
            ], source: "first", at: Timestamp(seconds: 1))
        // Line 19,001 is bad: two chunks of good entries were handed to the writer before it was read.
        let path = try Self.file(rows: 20_000, badLine: 19_001)
        let error = await #expect(throws: LedgerImportError.self) {
            try await LedgerImportStage(runner: runner).run(path: path, mapping: ColumnMapping(columns: [:]))
        }
        #expect(error?.diagnostics.map(\.description) == ["\(path):19001:4: error: amount: '1.234' has more decimals than USD allows (2)"])
        #expect(try store.ledgerCount() == 1)
        #expect(try store.runs().last?.status == "failed")
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = TestScratch.directory.appendingPathComponent("\(name)-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Another system's export: its own column names, and refunds in a file of their own in cents.
    static let layout = ColumnMapping(
        columns: ["entry_id": "Booking", "amount": "Gross"],
        refunds: ColumnMapping(columns: ["entry_id": "Refund", "amount": "Cents"], amounts: .minorUnits))

    @Test func aLedgerAndItsRefundsFileAreOneImportCountedPerSource() async throws {
        let store = try Self.store()
        let ledger = try Self.write(
            "Booking,order_id,type,Gross,currency,created_at\nb1,o1,payment,12.50,USD,2026-09-30T10:00:00Z\n"
                + "b2,o2,payment,8.00,USD,2026-09-30T11:00:00Z\n", "orders")
        let refunds = try Self.write("Refund,order_id,Cents,currency,created_at\nr1,o1,250,USD,2026-10-01T09:00:00Z\n", "refunds")
        let stage = LedgerImportStage(runner: StageRunner(store: store))
        let first = try await stage.run([
            CSVLedgerSource(path: ledger, mapping: Self.layout), CSVLedgerSource(path: refunds, mapping: Self.layout.refunds),
        ])
        #expect(first.sources.map(\.label) == [ledger, refunds])
        #expect(first.sources.map(\.counts) == [LedgerImportCounts(added: 2), LedgerImportCounts(added: 1)])
        let refund = try store.loadLedger(from: Timestamp(seconds: 0), to: Timestamp(seconds: 2_000_000_000)).first { $0.entryId == "r1" }
        #expect(refund?.kind == .refund && refund?.amount == Money(minorUnits: 250, currency: .usd) && refund?.orderId == "o1")
        #expect(try store.runs().last?.parameters == "source=\(ledger) + \(refunds)")
        #expect(
            try store.runs().last?.summary
                == "entries=3 added=3 replaced=0 unchanged=0; \(ledger): entries=2 added=2 replaced=0 unchanged=0; "
                + "\(refunds): entries=1 added=1 replaced=0 unchanged=0")

        // The next night: the refund was corrected to 3.00; an empty refunds file is fine, an empty ledger is not.
        let corrected = try Self.write("Refund,order_id,Cents,currency,created_at\nr1,o1,300,USD,2026-10-01T09:00:00Z\n", "refunds")
        let second = try await stage.run([
            CSVLedgerSource(path: ledger, mapping: Self.layout), CSVLedgerSource(path: corrected, mapping: Self.layout.refunds),
        ])
        #expect(second.sources.map(\.counts) == [LedgerImportCounts(unchanged: 2), LedgerImportCounts(replaced: 1)])
        #expect(try store.ledgerEntryVersions("r1").map(\.amount.minorUnits) == [250])
        let none = try Self.write("Refund,order_id,Cents,currency,created_at\n", "refunds")
        let third = try await stage.run([
            CSVLedgerSource(path: ledger, mapping: Self.layout), CSVLedgerSource(path: none, mapping: Self.layout.refunds),
        ])
        #expect(third.sources.map(\.counts.entries) == [2, 0])
    }

    @Test func anEntryIdInBothFilesIsRefusedWithBothPlacesAndNothingIsWritten() async throws {
        let store = try Self.store()
        let ledger = try Self.write("Booking,order_id,type,Gross,currency,created_at\nb1,o1,payment,12.50,USD,2026-09-30T10:00:00Z\n", "orders")
        let refunds = try Self.write(
            "Refund,order_id,Cents,currency,created_at\nr1,o1,250,USD,2026-10-01T09:00:00Z\nb1,o1,100,USD,2026-10-01T09:00:00Z\n", "refunds")
        let error = await #expect(throws: LedgerImportError.self) {
            try await LedgerImportStage(runner: StageRunner(store: store)).run([
                CSVLedgerSource(path: ledger, mapping: Self.layout), CSVLedgerSource(path: refunds, mapping: Self.layout.refunds),
            ])
        }
        #expect(error?.diagnostics.map(\.description) == ["\(refunds):3:1: error: entry_id: duplicate entry_id 'b1' (also in \(ledger), line 2)"])
        #expect(try store.ledgerCount() == 0)
        #expect(try store.runs().map(\.status) == ["failed"])
    }
}
