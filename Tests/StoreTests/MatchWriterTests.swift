import Core
import Facts
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

@Suite struct MatchWriterTests {
    static let usd = try! Currency(code: "USD")
    /// 1,789,999,200 s is 1,988,888 slots of 900 s: slot-aligned, so a test's offsets say which slot a match is in.
    static let base: Int64 = 1_789_999_200

    /// Every fifth match has no order (null in the JSON), every seventh is a group; every third has no
    /// settlement (its transactions not stored), the others none (every fourth), two or one payout.
    static func match(_ number: Int, amount: Int64 = 1000, at seconds: Int64) -> Match {
        let group = number % 7 == 0
        let payouts: [String] = number % 4 == 0 ? [] : number % 3 == 1 ? ["po_a\"1", "po_b"] : ["po_\(number)"]
        let settlement = MatchSettlement(
            fee: Money(minorUnits: 30, currency: .eur), net: Money(minorUnits: amount - 30, currency: .eur), payoutIds: payouts)
        return Match(
            rule: group ? .refundSum : .stripeId, key: .id("pi_\(number)"), orderId: number % 5 == 0 ? nil : "ord_\(number)",
            ledgerEntryIds: group ? ["L\(number)a", "L\(number)b"] : ["L\(number)"],
            stripeIds: group ? ["re_\(number)a", "re_\(number)b", "re_\(number)c"] : ["ch_\(number)"],
            ledgerAmount: Money(minorUnits: amount, currency: usd), stripeAmount: Money(minorUnits: amount, currency: usd),
            occurredAt: Timestamp(seconds: seconds), settlement: number % 3 == 0 ? nil : settlement)
    }

    /// Match `n` at `base + 400 n` s: slot `400 n / 900`.
    static func spread(_ number: Int, amount: Int64 = 1000) -> Match { match(number, amount: amount, at: base + 400 * Int64(number)) }

    static func sorted(_ matches: [Match]) -> [Match] { matches.sorted { ($0.occurredAt, $0.keyHash) < ($1.occurredAt, $1.keyHash) } }

    static func freshStore(runs: Int) throws -> PayreconStore {
        let store = try PayreconStore(path: TestScratch.directory.appendingPathComponent("matches-\(UUID().uuidString).sqlite").path)
        for _ in 0..<runs { _ = try store.startRun(stage: "reconcile", parameters: "test", at: Timestamp(seconds: base)) }
        return store
    }

    static func save(_ matches: [Match], in store: PayreconStore, from start: Int64, to end: Int64, run: Int64) throws -> MatchWriter.Counts {
        try store.queue.write { db in
            try MatchWriter(db: db).replaceMatches(of: Timestamp(seconds: start), Timestamp(seconds: end), with: MatchList(matches), runId: run)
        }
    }

    @Test func onlyChangedSlotsAreWrittenAndEmptiedOnesRemoved() throws {
        let store = try Self.freshStore(runs: 5)
        let (start, end) = (Self.base, Self.base + 100_000)
        let first = (0..<40).map { Self.spread($0) }
        let slots = Set((0..<40).map { 400 * $0 / 900 }).count
        #expect(slots == 18)
        #expect(try Self.save(first, in: store, from: start, to: end, run: 1) == .init(written: slots, unchanged: 0, removed: 0))
        #expect(try store.matches(from: Timestamp(seconds: start), to: Timestamp(seconds: end)) == Self.sorted(first))
        #expect(try Self.save(first, in: store, from: start, to: end, run: 2) == .init(written: 0, unchanged: slots, removed: 0))
        // Match 7 (slot 3) changes, match 39 (alone in slot 17) goes, match 45 (slot 20, empty so far) comes.
        var second = first
        second[7] = Self.spread(7, amount: 999)
        second.removeLast()
        second.append(Self.spread(45))
        #expect(try Self.save(second, in: store, from: start, to: end, run: 3) == .init(written: 2, unchanged: slots - 2, removed: 1))
        #expect(try store.matches(from: Timestamp(seconds: start), to: Timestamp(seconds: end)) == Self.sorted(second))
        // The view shows a row per match, each with the run that wrote its slot.
        let (rows, runs) = try store.queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM match"),
                try Int64.fetchAll(db, sql: "SELECT DISTINCT run_id FROM match ORDER BY run_id")
            )
        }
        #expect(rows == second.count)
        #expect(runs == [1, 3])
        // Its settlement columns (v15): match 7 has fee 0.30 EUR of its 9.99, and payouts po_a"1 and po_b.
        let seven = try store.queue.read { db in
            try Row.fetchOne(db, sql: "SELECT fee, net, settlement_currency, payout_ids FROM match WHERE order_id = 'ord_7'")
        }
        let (fee, net): (Int64?, Int64?) = (seven?["fee"], seven?["net"])
        let (currency, payouts): (String?, String?) = (seven?["settlement_currency"], seven?["payout_ids"])
        #expect(fee == 30 && net == 969 && currency == "EUR")
        #expect(payouts == #"["po_a\"1","po_b"]"#)
        // A match of another period is never touched.
        let outside = Self.match(1000, at: Self.base + 200_000)
        _ = try Self.save([outside], in: store, from: Self.base + 200_000, to: Self.base + 300_000, run: 4)
        #expect(try Self.save(second, in: store, from: start, to: end, run: 5) == .init(written: 0, unchanged: slots, removed: 0))
        #expect(try store.matches(from: Timestamp(seconds: Self.base + 200_000), to: Timestamp(seconds: Self.base + 300_000)) == [outside])
    }

    /// Periods in a time zone whose midnight is not on a quarter hour of UTC (none is today, but a
    /// period can be any range): a slot cut by an edge keeps its matches on the other side.
    @Test func aPeriodWhoseEdgeCutsASlotKeepsTheOtherSide() throws {
        let store = try Self.freshStore(runs: 6)
        let b = Self.base
        let inA = [Self.match(1, at: b + 100), Self.match(2, at: b + 950)]
        let inB = [Self.match(3, at: b + 1_100), Self.match(4, at: b + 2_800)]
        let inC = [Self.match(5, at: b + 3_100)]
        // A: [0, 1000) s, B: [1000, 3000) s, C: [3000, 4000) s. Slot 1 is cut by A|B, slot 3 by B|C.
        #expect(try Self.save(inA, in: store, from: b, to: b + 1_000, run: 1) == .init(written: 2, unchanged: 0, removed: 0))
        #expect(try Self.save(inB, in: store, from: b + 1_000, to: b + 3_000, run: 2) == .init(written: 2, unchanged: 0, removed: 0))
        #expect(try Self.save(inC, in: store, from: b + 3_000, to: b + 4_000, run: 3) == .init(written: 1, unchanged: 0, removed: 0))
        #expect(try store.matches(from: Timestamp(seconds: b), to: Timestamp(seconds: b + 4_000)) == inA + inB + inC)
        #expect(try store.matches(from: Timestamp(seconds: b + 1_000), to: Timestamp(seconds: b + 3_000)) == inB)
        // Saving a period again as it is leaves even its cut slots alone.
        #expect(try Self.save(inB, in: store, from: b + 1_000, to: b + 3_000, run: 4) == .init(written: 0, unchanged: 2, removed: 0))
        // B loses its matches: its cut slots are written again with only their A and C matches, nothing else moves.
        #expect(try Self.save([], in: store, from: b + 1_000, to: b + 3_000, run: 5) == .init(written: 2, unchanged: 0, removed: 0))
        #expect(try store.matches(from: Timestamp(seconds: b), to: Timestamp(seconds: b + 4_000)) == inA + inC)
        // And A loses its own: slot 0 goes, slot 1 (only A's match left in it) goes.
        #expect(try Self.save([], in: store, from: b, to: b + 1_000, run: 6) == .init(written: 0, unchanged: 0, removed: 2))
        #expect(try store.matches(from: Timestamp(seconds: b), to: Timestamp(seconds: b + 4_000)) == inC)
    }

    @Test func idsWithQuotesSpacesAndLineBreaksSurviveTheStoreAndTheView() throws {
        let store = try Self.freshStore(runs: 1)
        let odd = ["entry with spaces", "quote\"d", "back\\slash", "line\nbreak\ttab", "bell\u{7}", "café €", "emoji 🧾", ""]
        let matches = odd.enumerated().map { k, id in
            Match(
                rule: .metadataOrderId, key: .id(id), orderId: id, ledgerEntryIds: [id, "plain"], stripeIds: ["ch_\(k)"],
                ledgerAmount: Money(minorUnits: Int64.min + 1, currency: Self.usd), stripeAmount: Money(minorUnits: Int64.max, currency: .eur),
                occurredAt: Timestamp(seconds: Self.base + Int64(k)))
        }
        _ = try Self.save(matches, in: store, from: Self.base, to: Self.base + 900, run: 1)
        #expect(try store.matches(from: Timestamp(seconds: Self.base), to: Timestamp(seconds: Self.base + 900)) == Self.sorted(matches))
        // SQLite's own JSON reader agrees, through the view.
        let viewed = try store.queue.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT order_id, match_key, json_extract(ledger_entry_ids, '$[0]') AS first, json_array_length(ledger_entry_ids) AS n,
                      ledger_amount, stripe_amount, stripe_currency FROM match ORDER BY occurred_at
                    """)
        }
        #expect(viewed.map { $0["order_id"] as String } == odd)
        #expect(viewed.map { $0["match_key"] as String } == odd)
        #expect(viewed.map { $0["first"] as String } == odd)
        #expect(
            viewed.allSatisfy {
                ($0["n"] as Int) == 2 && ($0["ledger_amount"] as Int64) == Int64.min + 1
                    && ($0["stripe_amount"] as Int64) == Int64.max && ($0["stripe_currency"] as String) == "EUR"
            })
    }

    @Test func aBlockThatIsNotPayreconsSaysWhereAndWhat() throws {
        let store = try Self.freshStore(runs: 1)
        _ = try Self.save([Self.spread(1)], in: store, from: Self.base, to: Self.base + 900, run: 1)
        try store.queue.write { db in
            try db.execute(sql: #"UPDATE match_block SET matches = '[[1789999600000000,"by_magic","k",null,[],[],"USD",1,"USD",1]]'"#)
        }
        do {
            _ = try store.matches(from: Timestamp(seconds: Self.base), to: Timestamp(seconds: Self.base + 900))
            Issue.record("a block with an unknown rule was read")
        } catch {
            #expect(error.description.contains("at byte 19, expected a match rule"))
            #expect(error.description.contains("\(Timestamp(seconds: Self.base))"))
        }
    }

    @Test func aFailedWriteStopsThePlannerAndLeavesNothingBehind() throws {
        let store = try Self.freshStore(runs: 1)
        let (start, end) = (Self.base, Self.base + 30_000_000)
        let run: Int64 = 1
        // Two matches with one key: the planner's error reaches the writer, and the transaction rolls back.
        #expect(throws: StoreError.self) {
            try Self.save((0..<100).map { Self.spread($0) } + [Self.spread(50)], in: store, from: start, to: end, run: run)
        }
        // A match outside the period is refused rather than stored where no run of it would find it.
        #expect(throws: StoreError.self) {
            try Self.save([Self.match(1, at: end + 1)], in: store, from: start, to: end, run: run)
        }
        // SQLite refuses the first slot (no such run): the writer leaves while the planner still has
        // many blocks to hand over (a slot each, 4,096 slots a block); it must stop rather than wait for a
        // reader that is gone.
        #expect(throws: (any Error).self) {
            try Self.save((0..<25_000).map { Self.match($0, at: Self.base + 900 * Int64($0)) }, in: store, from: start, to: end, run: run + 1_000)
        }
        #expect(try store.matches(from: Timestamp(seconds: start), to: Timestamp(seconds: end)).isEmpty)
        _ = try Self.save((0..<10).map { Self.spread($0) }, in: store, from: start, to: end, run: run)
        #expect(try store.matches(from: Timestamp(seconds: start), to: Timestamp(seconds: end)).count == 10)
    }

    /// The slot hash decides whether a slot is written again: a change of any byte, in the 8-byte words
    /// or in the tail, must change it, and equal bytes must give equal hashes.
    @Test func theSlotHashSeesEveryByte() {
        let text = Array(#"[[1789999600000000,"stripe_id","pi_1","ord_1",["L1"],["ch_1"],"USD",1000,"USD",1000]]"#.utf8)
        let hash = { (bytes: [UInt8]) in bytes.withUnsafeBytes { MatchSlot.contentHash($0) } }
        #expect(text.count % 8 != 0)
        #expect(hash(text) == hash(Array(text)))
        var seen: Set<Int64> = [hash(text)]
        for position in text.indices {
            var changed = text
            changed[position] ^= 0x01
            seen.insert(hash(changed))
        }
        #expect(seen.count == text.count + 1)
        #expect(hash(text + [0]) != hash(text))
        #expect(hash([]) != hash([0]))
    }

    @Test func ruleNamesAreTheRawValues() {
        for rule in Match.Rule.allCases { #expect("\(rule.name)" == rule.rawValue) }
    }
}
