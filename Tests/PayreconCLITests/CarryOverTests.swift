import Foundation
import TestSupport
import Testing

/// Night to night through the command line: a missing counterpart arrives and the item closes;
/// a resolution is kept with its note.
@Suite(.serialized) struct CarryOverTests {
    @Test func anItemClosesWhenItsCounterpartArrivesAndResolutionsStay() throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-carry-\(UUID().uuidString)")
        #expect(try PayreconBinary.run(["demo", "--orders", "300", "--out", folder.path]).status == 0)
        let db = folder.appendingPathComponent("payrecon.sqlite").path
        let csv = try String(contentsOf: folder.appendingPathComponent("discrepancies.csv"), encoding: .utf8)
        let rows = csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
        let missing = try #require(rows.first { $0[1] == "missing_in_ledger" })
        let fee = try #require(rows.first { $0[1] == "fee_mismatch" })
        let charge = missing[5]
        let order = missing[3]
        let amount = missing[8]
        let currency = missing[6]

        // The accountant books the missing payment; the night after, the item closes by itself.
        let ledger = folder.appendingPathComponent("late.csv")
        try Data(
            ("entry_id,order_id,type,amount,currency,stripe_id,created_at\n"
                + "late-1,\(order),payment,\(amount),\(currency),\(charge),2026-09-30T12:00:00Z\n").utf8
        ).write(to: ledger)
        #expect(try PayreconBinary.run(["ledger", "import", ledger.path, "--db", db]).status == 0)
        #expect(try PayreconBinary.run(["resolve", fee[0], "--note", "credited by Stripe, ticket 4711", "--by", "ana", "--db", db]).status == 0)
        #expect(try PayreconBinary.run(["reconcile", "--db", db, "--from", "2026-07-03", "--to", "2026-09-30"]).status == 0)
        let out = folder.appendingPathComponent("night2").path
        #expect(
            try PayreconBinary.run(["report", "--db", db, "--from", "2026-07-03", "--to", "2026-09-30", "--out", out, "--format", "csv"]).status == 0)
        // Closed is history: the item leaves discrepancies.csv for closed.csv.
        func csvRows(_ file: String) throws -> [String: String] {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            return Dictionary(
                uniqueKeysWithValues: text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
                    .map { line in (line.components(separatedBy: ",")[0], line) })
        }
        let byId = try csvRows("discrepancies.csv")
        #expect(byId[missing[0]] == nil)
        #expect(try csvRows("closed.csv")[missing[0]]?.contains(",closed,") == true)
        #expect(byId[fee[0]]?.contains(",resolved,") == true)
        #expect(byId[fee[0]]?.contains("resolved by ana: credited by Stripe") == true)
        #expect(try PayreconBinary.run(["resolve", "fee_mismatch/txn_nope", "--note", "x", "--by", "y", "--db", db]).status == 2)
    }
}
