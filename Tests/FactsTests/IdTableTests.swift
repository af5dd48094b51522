import Core
import Facts
import Testing

@Suite struct IdTableTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func internGivesOneIdPerTextAndAppendIsNeverFound() {
        var table = IdTable()
        let a = table.intern("ch_A")
        let b = table.intern("ch_B")
        #expect(a != b)
        #expect(table.intern("ch_A") == a)
        // An appended id with the same text is stored apart and never returned by a lookup.
        let printed = table.append("ch_A")
        #expect(printed != a)
        #expect(table.find("ch_A") == a)
        #expect(table.find("ch_C") == nil)
        #expect(table.string(printed) == "ch_A")
        #expect(table.optionalString(IdTable.none) == nil)
    }

    @Test func survivesGrowingFarPastItsFirstSize() {
        var table = IdTable()
        let ids = (0..<50_000).map { table.intern("ord_\($0)") }
        #expect(Set(ids).count == 50_000)
        #expect((0..<50_000).allSatisfy { table.find("ord_\($0)") == ids[$0] })
        #expect(table.string(ids[31_337]) == "ord_31337")
    }

    @Test func printedIdsBetweenJoinedOnesDoNotDisturbLookups() {
        // Slots point at records in one arena, which printed-only ids share: lookups must land on the
        // right record whatever was appended in between, for ids of any length (a prefix of another too).
        var table = IdTable()
        var joined: [String: FactID] = [:]
        for k in 0..<10_000 {
            _ = table.append("le_\(k)_" + String(repeating: "x", count: k % 40))
            let text = k % 3 == 0 ? "ch_\(k)" : "ch_\(k)_é" + String(repeating: "y", count: k % 17)
            joined[text] = table.intern(text)
        }
        #expect(joined.allSatisfy { table.find($0.key) == $0.value && table.string($0.value) == $0.key })
        #expect(table.find("le_1_x") == nil && table.find("ch_1") == nil && table.find("") == nil)
    }

    @Test func aBatchInternsLikeOneByOneEmptyIsNone() {
        var single = IdTable()
        var batched = IdTable()
        let texts = ["pi_1", "", "ord_9", "pi_1", "le-1", "ord_9"]
        let appendOnly = [false, false, false, false, true, false]
        let expected = zip(texts, appendOnly).map { text, append in
            append ? single.append(text) : text.isEmpty ? IdTable.none : single.intern(text)
        }
        var batch = InternBatch()
        for (text, append) in zip(texts, appendOnly) { Self.bytes(text).withUnsafeBytes { batch.add($0, appendOnly: append) } }
        batched.intern(&batch)
        #expect(batch.results == expected)
        #expect(batch.results[1] == IdTable.none)
        #expect(batch.results[0] == batch.results[3])
    }

    @Test func ordersAndPrefixesByBytes() {
        var table = IdTable()
        let short = table.intern("ch_1")
        let long = table.intern("ch_10")
        let other = table.intern("ch_2")
        #expect(table.precedes(short, long) && table.precedes(long, other) && !table.precedes(other, short))
        #expect(table.hasPrefix(long, "ch_") && !table.hasPrefix(long, "pi_") && !table.hasPrefix(IdTable.none, "ch_"))
    }

    @Test func recordKeyHashesAreTheHashOfTheMatchId() {
        let usd = Currency.usd
        let matches = [
            Match(
                rule: .stripeId, key: "pi_1", orderId: "ord_1", ledgerEntryIds: ["L1"], stripeIds: ["ch_1"],
                ledgerAmount: Money(minorUnits: 100, currency: usd), stripeAmount: Money(minorUnits: 100, currency: usd),
                occurredAt: Timestamp(seconds: 20)),
            Match(
                rule: .refundSum, key: "ord_2", orderId: "ord_2", ledgerEntryIds: ["L2", "L3"], stripeIds: ["re_1", "re_2"],
                ledgerAmount: Money(minorUnits: 50, currency: usd), stripeAmount: Money(minorUnits: 50, currency: usd),
                occurredAt: Timestamp(seconds: 10)),
        ]
        let list = MatchList(matches)
        // Read back in (occurredAt, keyHash) order, each the same match.
        #expect(Array(list) == [matches[1], matches[0]])
        // The record's hash, computed from interned ids, is FNV-1a 64 of the id string.
        var expected = FNV.offset
        FNV.mix("refund_sum/L2+L3+re_1+re_2", into: &expected)
        #expect(list.records[0].keyHash == Int64(bitPattern: expected))
        #expect(list.records[0].keyHash == matches[1].keyHash)
    }
}
