import Foundation
import TestSupport
import Testing

/// A bad ledger is refused whole, with the line and column of each problem, and the store is unchanged.
@Suite(.serialized) struct BadLedgerTests {
    static let header = "entry_id,order_id,type,amount,currency,stripe_id,created_at,supplier_id\n"
    static let goodRow = "e3,o3,payment,1.00,USD,,2026-09-30T10:00:00Z,\n"

    func importLedger(_ text: String, into db: String, _ flags: [String] = []) throws -> PayreconBinary.Outcome {
        try importLedger(bytes: Array(text.utf8), into: db, flags)
    }

    func importLedger(bytes: [UInt8], into db: String, _ flags: [String] = []) throws -> PayreconBinary.Outcome {
        let file = TestScratch.directory.appendingPathComponent("ledger-\(UUID().uuidString).csv")
        try Data(bytes).write(to: file)
        return try PayreconBinary.run(["ledger", "import", file.path, "--db", db] + flags)
    }

    /// A store holding two good entries (e1 and e2), and what it holds.
    func storeWithTwoEntries() throws -> (db: String, before: String) {
        let db = TestScratch.directory.appendingPathComponent("payrecon-\(UUID().uuidString).sqlite").path
        let good = try importLedger(
            Self.header + "e1,o1,payment,10.00,USD,pi_1,2026-09-30T10:00:00Z,s1\n"
                + "e2,o1,refund,2.50,usd,,2026-09-30T11:00:00+01:00,s1\n", into: db)
        #expect(good.status == 0)
        return (db, try count(db))
    }

    /// The hostile test's findings: each refused with its exact place and reason, the store unchanged.
    /// Byte offsets counted by hand: the header is 72 bytes, the good row 46, so line 3 starts at byte 118.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static let linesBefore = header + goodRow
    static let hostile: [([UInt8], String)] = [
        (
            bytes(linesBefore + "e9,o9") + [0xFF] + bytes(",payment,1.00,USD,,2026-09-30T10:00:00Z,\n"),
            ":3:2: error: bytes that are not UTF-8 at byte offset 123 (0xFF; save the file as UTF-8)"
        ),
        (
            bytes(linesBefore + "e9,o") + [0x00] + bytes("9,payment,1.00,USD,,2026-09-30T10:00:00Z,\n"),
            ":3:2: error: a NUL byte at byte offset 122 (a text file holds none)"
        ),
        (
            bytes("entry_id,order_id,type,amount,currency,amount,created_at\ne9,o9,payment,1.00,USD,2.00,2026-09-30T10:00:00Z\n"),
            ":1:6: error: duplicate column 'amount' (also column 4); which one holds the value is not clear"
        ),
        (
            bytes(linesBefore + "e9,o9,payment,1.00,USD,,2026-09-30T10:00:00Z,,surplus\n"),
            ":3:9: error: the line has 9 fields, the header has 8 (a field past the header's last column)"
        ),
        (
            bytes(linesBefore + "e9,o9,payment,1.00,USD,2026-09-30T10:00:00Z\n"),
            ":3: error: the line has 6 fields, the header has 8 (a field is missing, or a quote or comma was lost)"
        ),
        (
            bytes(linesBefore + "e9,o9,payment,1.00,USD,,2026-02-30T10:00:00Z,\n"),
            ":3:7: error: created_at: '2026-02-30T10:00:00Z' has day 30, which February 2026 does not have (it has 28 days)"
        ),
        (
            bytes(linesBefore + "e9,o9,payment,1.00,USD,,2026-09-30T25:00:00Z,\n"),
            ":3:7: error: created_at: '2026-09-30T25:00:00Z' has hour 25, out of range (00 to 23)"
        ),
        (
            bytes(linesBefore + "e9,o9,payment,1.00,USD,,2026-09-30T10:00:00,\n"),
            ":3:7: error: created_at: '2026-09-30T10:00:00' has no zone (add Z or an offset such as +02:00; a time without one is ambiguous)"
        ),
        (
            bytes(linesBefore + "e9," + String(repeating: "o", count: 5_000) + ",payment,1.00,USD,,2026-09-30T10:00:00Z,\n"),
            ":3:2: error: a field longer than 4096 bytes (at byte offset 4217); no ledger value is that long"
        ),
        (bytes(header), ":1: error: the file holds no ledger entries, only a header (pass --allow-empty to import an empty ledger)"),
    ]

    @Test(arguments: hostile)
    func aHostileFileIsRefusedWithItsPlaceAndTheStoreIsUnchanged(bytes: [UInt8], message: String) throws {
        let (db, before) = try storeWithTwoEntries()
        let bad = try importLedger(bytes: bytes, into: db)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(message), "\(bad.stderr)")
        #expect(bad.stderr.contains("the store is unchanged"))
        #expect(try count(db) == before)
    }

    @Test func crLineEndingsAreReadAndAnEmptyLedgerNeedsAllowEmpty() throws {
        let (db, _) = try storeWithTwoEntries()
        let mac =
            "entry_id,order_id,type,amount,currency,created_at\re7,o7,payment,7.00,USD,2026-09-30T10:00:00Z\r"
            + "e8,o8,payment,\"8.00\",USD,2026-09-30T10:00:00Z\r"
        let imported = try importLedger(mac, into: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 2 ledger entries from"))
        #expect(imported.stdout.contains(": 2 added, 0 replaced (old versions kept), 0 unchanged"))
        #expect(try count(db).hasPrefix("(4, 2750)"))
        let empty = try importLedger(Self.header, into: db, ["--allow-empty"])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stdout.contains("imported 0 ledger entries"))
    }

    @Test func aReimportSaysWhatItAddedReplacedAndLeftAndKeepsTheOldVersions() throws {
        let (db, _) = try storeWithTwoEntries()
        // e1 unchanged, e2 booked again with another amount, e3 new.
        let again = try importLedger(
            Self.header + "e1,o1,payment,10.00,USD,pi_1,2026-09-30T10:00:00Z,s1\n"
                + "e2,o1,refund,3.00,USD,,2026-09-30T11:00:00+01:00,s1\n" + Self.goodRow, into: db)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("imported 3 ledger entries from"))
        #expect(again.stdout.contains(": 1 added, 1 replaced (old versions kept), 1 unchanged"))
        #expect(try count(db).hasPrefix("(3, 1400)"))
        let versions = try sql(db, "select entry_id, amount, replaced_by_import from ledger_entry_version")
        #expect(versions.hasPrefix("[('e2', 250, 2)]"))
        // The kept versions are history: the database refuses to change them.
        let edit = try sql(db, "update ledger_entry_version set amount = 1")
        #expect(edit.contains("ledger_entry_version is append-only"))
    }

    @Test func anotherSystemsExportAndItsRefundsFileImportThroughTheExampleMapping() throws {
        let db = TestScratch.directory.appendingPathComponent("payrecon-\(UUID().uuidString).sqlite").path
        let orders = TestScratch.directory.appendingPathComponent("orders-\(UUID().uuidString).csv")
        let refunds = TestScratch.directory.appendingPathComponent("refunds-\(UUID().uuidString).csv")
        try Data(
            ("Booking ID,Order,Kind,Gross,Currency,PSP Reference,Booked At,Supplier\n"
                + "b1,o1,payment,40.00,EUR,pi_1,2026-09-30T10:00:00Z,s1\nb2,o2,payment,15.00,EUR,,2026-09-30T11:00:00Z,s2\n").utf8
        ).write(to: orders)
        try Data("Refund ID,Order,Refunded (minor units),Currency,Stripe Refund,Refunded At\nr1,o1,1250,EUR,re_1,2026-10-02T08:00:00Z\n".utf8)
            .write(to: refunds)
        let mapping = packageRoot.appendingPathComponent("fixtures/ledger-mapping.example.json").path
        let imported = try PayreconBinary.run(["ledger", "import", orders.path, "--refunds", refunds.path, "--mapping", mapping, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stdout.split(separator: "\n").map(String.init) == [
                "imported 3 ledger entries: 3 added, 0 replaced (old versions kept), 0 unchanged",
                "  \(orders.path): 2 entries: 2 added, 0 replaced (old versions kept), 0 unchanged",
                "  \(refunds.path): 1 entries: 1 added, 0 replaced (old versions kept), 0 unchanged",
            ])
        // 40.00 + 15.00 + 12.50 EUR in cents; the refund is a refund of o1.
        #expect(try count(db).hasPrefix("(3, 6750)"))
        #expect(try sql(db, "select type, order_id, stripe_id from ledger_entry where entry_id = 'r1'").hasPrefix("[('refund', 'o1', 're_1')]"))
    }

    func sql(_ db: String, _ statement: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys\ntry:\n  c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchall()); c.commit()\nexcept Exception as e: print(e)",
            db, statement,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
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
            ":3:7: error: created_at: '2026-09-31T10:00:00Z' has day 31, which September 2026 does not have (it has 30 days)"
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
