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

    @Test func manyChunksArriveWhole() throws {
        let store = try Self.store()
        // 20,000 rows: three chunks of 8,192 and a short one.
        let summary = try LedgerImportStage(runner: StageRunner(store: store)).run(
            path: try Self.file(rows: 20_000), mapping: ColumnMapping(columns: [:]))
        #expect(summary.added == 20_000 && summary.replaced == 0 && summary.unchanged == 0)
        #expect(try store.ledgerCount() == 20_000)
        #expect(try store.runs().last?.summary == "entries=20000 added=20000 replaced=0 unchanged=0")
    }

    @Test func aBadRowAfterChunksWereWrittenLeavesTheStoreAsItWas() throws {
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
        let error = #expect(throws: LedgerImportError.self) {
            try LedgerImportStage(runner: runner).run(path: path, mapping: ColumnMapping(columns: [:]))
        }
        #expect(error?.diagnostics.map(\.description) == ["\(path):19001:4: error: amount: '1.234' has more decimals than USD allows (2)"])
        #expect(try store.ledgerCount() == 1)
        #expect(try store.runs().last?.status == "failed")
    }
}
