import Core
import Foundation
import GRDB
import Store
import TestSupport
import Testing

@Suite struct ReconciliationStoreTests {
    static func store() throws -> PayreconStore {
        try PayreconStore(path: TestScratch.directory.appendingPathComponent("payrecon-\(UUID().uuidString).sqlite").path)
    }

    func missing(_ charge: String, at seconds: Int64 = 1_000) -> Discrepancy {
        Discrepancy(
            kind: .missingInLedger, subjectId: charge, orderId: "o1", ledgerEntryId: nil, stripeId: charge, currency: .usd,
            expected: nil, actual: 500, occurredAt: Timestamp(seconds: seconds), detail: "test")
    }

    @Test func discrepanciesOpenCarryOverAndCloseWhenTheCounterpartArrives() throws {
        let store = try Self.store()
        let start = Timestamp(seconds: 0)
        let end = Timestamp(seconds: 86_400)
        try store.saveReconciliation(
            runId: 1, start: start, end: end, matches: [], discrepancies: [missing("ch_1"), missing("ch_2")],
            at: Timestamp(seconds: 100_000))
        // The next night ch_1 is still missing, ch_2 found its ledger row.
        try store.saveReconciliation(
            runId: 2, start: start, end: end, matches: [], discrepancies: [missing("ch_1")],
            at: Timestamp(seconds: 186_400))
        let items = try store.discrepancies(from: start, to: end)
        #expect(items.map(\.discrepancy.id) == ["missing_in_ledger/ch_1", "missing_in_ledger/ch_2"])
        #expect(items.map(\.status) == [.open, .closed])
        #expect(items[0].firstSeen == Timestamp(seconds: 100_000))
        #expect(items[0].lastSeen == Timestamp(seconds: 186_400))
        #expect(items[0].ageDays(now: Timestamp(seconds: 186_400)) == 1)
        // Found again: reopened, first_seen kept.
        try store.saveReconciliation(
            runId: 3, start: start, end: end, matches: [], discrepancies: [missing("ch_1"), missing("ch_2")],
            at: Timestamp(seconds: 272_800))
        let again = try store.discrepancies(from: start, to: end)
        #expect(again.map(\.status) == [.open, .open])
        #expect(again[1].firstSeen == Timestamp(seconds: 100_000))
        // Another period's items are not touched.
        #expect(try store.discrepancies(from: end, to: Timestamp(seconds: 200_000)).isEmpty)
    }

    @Test func ledgerImportsReplaceEntriesByIdAndLoadByTime() throws {
        let store = try Self.store()
        func entry(_ id: String, _ amount: Int64, at: Int64) -> LedgerEntry {
            LedgerEntry(
                entryId: LedgerEntryID(id), orderId: "o", kind: .payment, amount: Money(minorUnits: amount, currency: .kwd),
                stripeId: nil, createdAt: Timestamp(microseconds: at), supplierId: "s")
        }
        try store.importLedger([entry("e1", 1_250, at: 5), entry("e2", 10, at: 1_000_000)], source: "a.csv", at: Timestamp(seconds: 1))
        try store.importLedger([entry("e1", 1_260, at: 5)], source: "b.csv", at: Timestamp(seconds: 2))
        #expect(try store.ledgerCount() == 2)
        let loaded = try store.loadLedger(from: Timestamp(microseconds: 0), to: Timestamp(microseconds: 1_000_000))
        #expect(loaded == [entry("e1", 1_260, at: 5)])
    }

    /// Entries go in many to a statement: a statement whose rows are partly known sorts each row out.
    @Test func aChunkMixingNewKnownAndChangedEntriesIsCountedRowByRow() throws {
        let store = try Self.store()
        func entry(_ k: Int, amount: Int64 = 100) -> LedgerEntry {
            LedgerEntry(
                entryId: LedgerEntryID("e\(k)"), orderId: OrderID("o\(k)"), kind: .payment, amount: Money(minorUnits: amount, currency: .usd),
                stripeId: nil, createdAt: Timestamp(seconds: Int64(k)), supplierId: nil)
        }
        // 40 known entries (e0…e78, the even ones); then 100 rows: every odd one new, every 4th known one changed.
        try store.importLedger(stride(from: 0, to: 80, by: 2).map { entry($0) }, source: "first", at: Timestamp(seconds: 1))
        let second = (0..<100).map { k in entry(k, amount: k % 4 == 0 && k < 80 ? 999 : 100) }
        let summary = try store.importLedger(second, source: "second", at: Timestamp(seconds: 2))
        // New: the 50 odd ones and the even ones from 80 on (10); changed: 0, 4, …, 76 (20); unchanged: 2, 6, …, 78 (20).
        #expect(summary.total == LedgerImportCounts(added: 60, replaced: 20, unchanged: 20))
        #expect(try store.ledgerCount() == 100)
        #expect(try store.ledgerEntryVersions("e4").map(\.amount.minorUnits) == [100])
        #expect(try store.ledgerEntryVersions("e6").isEmpty)
        let loaded = try store.loadLedger(from: Timestamp(seconds: 0), to: Timestamp(seconds: 1_000))
        #expect(loaded.first { $0.entryId == "e4" }?.amount.minorUnits == 999)
    }
}

@Suite struct ResolutionTests {
    @Test func theHistoryCannotBeRewrittenInTheDatabaseItself() throws {
        let store = try ReconciliationStoreTests.store()
        let item = Discrepancy(
            kind: .feeMismatch, subjectId: "txn_9", orderId: nil, ledgerEntryId: nil, stripeId: "txn_9", currency: .usd,
            expected: 320, actual: 327, occurredAt: Timestamp(seconds: 10), detail: "fee")
        try store.saveReconciliation(
            runId: 1, start: Timestamp(seconds: 0), end: Timestamp(seconds: 86_400), matches: [], discrepancies: [item],
            at: Timestamp(seconds: 100))
        _ = try store.resolve(id: item.id, note: "credited", by: "ana", at: Timestamp(seconds: 200))
        // Not through payrecon: straight at the file, as someone with the database would.
        let queue = try DatabaseQueue(path: store.path)
        for statement in ["UPDATE discrepancy_event SET actor = 'eve'", "DELETE FROM discrepancy_event"] {
            #expect {
                try queue.write { try $0.execute(sql: statement) }
            } throws: { error in
                String(describing: error).contains("discrepancy_event is append-only")
            }
        }
        #expect(try store.history(of: item.id).map(\.actor) == ["reconcile", "ana"])
        // The resolution is in the audit log, with what the item was before; the log cannot be rewritten either.
        let audit = try store.auditLog(from: Timestamp(seconds: 0), to: Timestamp(seconds: 1_000))
        #expect(
            audit == [
                AuditEntry(
                    at: Timestamp(seconds: 200), actor: "ana", action: "discrepancy.resolve", subject: item.id, before: "open", after: "resolved",
                    note: "credited")
            ])
        for statement in ["UPDATE audit_log SET actor = 'eve'", "DELETE FROM audit_log"] {
            #expect {
                try queue.write { try $0.execute(sql: statement) }
            } throws: { error in
                String(describing: error).contains("audit_log is append-only")
            }
        }
    }

    @Test func aResolvedItemStaysResolvedAndItsHistoryIsKept() throws {
        let store = try ReconciliationStoreTests.store()
        let start = Timestamp(seconds: 0)
        let end = Timestamp(seconds: 86_400)
        let item = Discrepancy(
            kind: .feeMismatch, subjectId: "txn_1", orderId: nil, ledgerEntryId: nil, stripeId: "txn_1", currency: .usd,
            expected: 320, actual: 327, occurredAt: Timestamp(seconds: 10), detail: "fee")
        try store.saveReconciliation(runId: 1, start: start, end: end, matches: [], discrepancies: [item], at: Timestamp(seconds: 100))
        let resolved = try store.resolve(id: item.id, note: "Stripe credited the 7 cents", by: "ana", at: Timestamp(seconds: 200))
        #expect(resolved.status == .resolved && resolved.note == "Stripe credited the 7 cents" && resolved.resolvedBy == "ana")
        try store.saveReconciliation(runId: 2, start: start, end: end, matches: [], discrepancies: [item], at: Timestamp(seconds: 300))
        #expect(try store.discrepancy(id: item.id)?.status == .resolved)
        #expect(
            try store.history(of: item.id).map { "\($0.status) \($0.actor) \($0.note ?? "")" }
                == ["open reconcile found", "resolved ana Stripe credited the 7 cents"])
        #expect(throws: UnknownDiscrepancy.self) { try store.resolve(id: "fee_mismatch/txn_nope", note: "x", by: "y", at: Timestamp(seconds: 1)) }
    }
}

@Suite struct PendingStoreTests {
    @Test func aPendingItemOpensWhenItsWindowPassesOrClosesWhenItsCounterpartArrives() throws {
        let store = try ReconciliationStoreTests.store()
        let start = Timestamp(seconds: 0)
        let end = Timestamp(seconds: 86_400)
        func missing(_ id: String) -> Discrepancy {
            Discrepancy(
                kind: .missingInStripe, subjectId: id, orderId: "o", ledgerEntryId: id, stripeId: nil, currency: .usd,
                expected: 100, actual: nil, occurredAt: Timestamp(seconds: 50), detail: "late?")
        }
        try store.saveReconciliation(
            runId: 1, start: start, end: end, matches: [], discrepancies: [], pending: [missing("e1"), missing("e2")],
            at: Timestamp(seconds: 100))
        #expect(try store.discrepancies(from: start, to: end).map(\.status) == [.pending, .pending])
        try store.saveReconciliation(runId: 2, start: start, end: end, matches: [], discrepancies: [missing("e1")], at: Timestamp(seconds: 200_000))
        let items = try store.discrepancies(from: start, to: end)
        #expect(items.map(\.status) == [.open, .closed])
        #expect(items[0].firstSeen == Timestamp(seconds: 100))
        #expect(try store.history(of: missing("e1").id).map(\.status) == ["pending", "open"])
        #expect(try store.history(of: missing("e2").id).map(\.status) == ["pending", "closed"])
    }
}
