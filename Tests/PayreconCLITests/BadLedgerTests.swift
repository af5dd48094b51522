import Foundation
import TestSupport
import Testing

/// A bad ledger is refused whole, with the line and column of each problem, and the store is unchanged.
@Suite(.serialized) struct BadLedgerTests {
    static let header = "entry_id,order_id,type,amount,currency,stripe_id,created_at,supplier_id\n"
    static let goodRow = "e3,o3,payment,1.00,USD,,2026-09-30T10:00:00Z,\n"

    func importLedger(_ text: String, into db: String) throws -> PayreconBinary.Outcome {
        let file = TestScratch.directory.appendingPathComponent("ledger-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: file)
        return try PayreconBinary.run(["ledger", "import", file.path, "--db", db])
    }

    func count(_ db: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*), coalesce(sum(amount),0) from ledger_entry').fetchone())",
            db,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test(arguments: [
        ("entry_id,order_id,type,currency,created_at\ne9,o9,payment,USD,2026-09-30T10:00:00Z\n", ":1: error: amount: missing column 'amount'"),
        // A good row before the bad one must not be written either.
        (
            header + goodRow + "e9,o9,payment,12.345,USD,,2026-09-30T10:00:00Z,\n",
            ":3:4: error: amount: '12.345' has more decimals than USD allows (2)"
        ),
        (
            header + goodRow + "e9,o9,payment,12.34,USD,,2026-09-31T10:00:00Z,\n",
            ":3:7: error: created_at: '2026-09-31T10:00:00Z' is not an ISO 8601 time"
        ),
        (header + goodRow + "e9,o9,payment,12.34,ABC,,2026-09-30T10:00:00Z,\n", ":3:5: error: currency: unknown currency 'ABC'"),
    ])
    func isRefusedWithItsPlaceAndTheStoreIsUnchanged(text: String, message: String) throws {
        let db = TestScratch.directory.appendingPathComponent("payrecon-\(UUID().uuidString).sqlite").path
        let good = try importLedger(
            Self.header + "e1,o1,payment,10.00,USD,pi_1,2026-09-30T10:00:00Z,s1\n"
                + "e2,o1,refund,2.50,usd,,2026-09-30T11:00:00+01:00,s1\n", into: db)
        #expect(good.status == 0)
        let before = try count(db)
        #expect(before.hasPrefix("(2, 1250)"))
        let bad = try importLedger(text, into: db)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(message), "\(bad.stderr)")
        #expect(bad.stderr.contains("the store is unchanged"))
        #expect(try count(db) == before)
    }
}
