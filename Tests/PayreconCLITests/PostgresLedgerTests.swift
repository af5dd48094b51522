import Core
import Extract
import Foundation
import Reconcile
import SandboxData
import Stages
import Store
import TestSupport
import Testing

/// The ledger read from the marketplace's own PostgreSQL (a real server this suite starts on
/// 127.0.0.1) gives what the same rows give from a CSV file.
@Suite(.serialized) struct PostgresLedgerTests {
    static let server = Result { try PostgresServer() }
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 1_500, seed: 9))
    static let rows = 100_000
    /// Rows of orders Stripe never saw, booked in 2020: read and stored, outside every reconciled period.
    static var fillers: Int { rows - account.ledger.count }

    static func scratch(_ name: String) -> String { TestScratch.directory.appendingPathComponent("\(name)-\(UUID().uuidString)").path }

    /// The sandbox's ledger and the filler rows, as one CSV file and as one PostgreSQL table
    /// (amount numeric(14,4), created_at timestamptz, so both conversions are exercised).
    static let loaded: Result<String, any Error> = Result {
        let postgres = try server.get()
        let fillerBase: Int64 = 1_577_836_800 // 2020-01-01T00:00:00Z
        var csv = account.ledgerCSV()
        for k in 0..<fillers {
            csv += "f\(k),forder\(k),payment,1.00,USD,,\(Timestamp(seconds: fillerBase + Int64(k)).iso8601),,\n"
        }
        let path = scratch("ledger") + ".csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let sandboxCSV = scratch("sandbox") + ".csv"
        try Data(account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: sandboxCSV))
        try postgres.psql(
            """
            CREATE TABLE ledger (entry_id text, order_id varchar(40), type text, amount numeric(14,4), currency char(3),
              stripe_id varchar(40), created_at timestamptz, supplier_id text, memo text)
            """)
        try postgres.psql("\\copy ledger FROM '\(sandboxCSV)' CSV HEADER")
        try postgres.psql(
            """
            INSERT INTO ledger SELECT 'f' || k, 'forder' || k, 'payment', 1.00, 'USD', NULL,
              timestamptz '2020-01-01 00:00:00+00' + k * interval '1 second', NULL, NULL FROM generate_series(0, \(fillers - 1)) AS k
            """)
        return path
    }

    static let query = "SELECT entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id FROM ledger"

    static func storeWithStripe() throws -> PayreconStore {
        let store = try PayreconStore(path: scratch("store") + ".sqlite")
        try store.saveStripe(account.stripe, at: Timestamp(seconds: 1_800_000_000))
        return store
    }

    static func discrepancies(_ store: PayreconStore) throws -> [Discrepancy] {
        let period = try ReportingPeriod(from: account.firstDay, to: account.lastDay)
        return try ReconcileStage(store: store).run(period: period, options: .init(), now: Timestamp(seconds: 1_900_000_000)).result.discrepancies
    }

    @Test func aHundredThousandRowsFromPostgresGiveTheDiscrepanciesTheCSVGives() async throws {
        let server = try Self.server.get()
        let csv = try Self.loaded.get()
        #expect(try server.psql("SELECT count(*) FROM ledger").trimmingCharacters(in: .whitespacesAndNewlines) == "100000")

        let fromCSV = try Self.storeWithStripe()
        let csvSummary = try await LedgerImportStage(runner: StageRunner(store: fromCSV)).run(path: csv)
        #expect(csvSummary.added == Self.rows)

        // Through the command a user runs, the URL in the environment.
        let fromPostgres = try Self.storeWithStripe()
        let imported = try PayreconBinary.run(
            ["ledger", "import", "--postgres-query", Self.query, "--db", fromPostgres.path], environment: ["LEDGER_DATABASE_URL": server.url])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 100000 ledger entries from LEDGER_DATABASE_URL query: 100000 added, 0 replaced"))

        let expected = try Self.discrepancies(fromCSV)
        #expect(expected.count == Self.account.truth.count)
        #expect(try Self.discrepancies(fromPostgres) == expected)
        // Field by field the same: the query's rows, imported over the CSV's, change nothing.
        let source = try PostgresLedgerSource(
            urlEnvironmentVariable: "LEDGER_DATABASE_URL", query: Self.query,
            environment: ["LEDGER_DATABASE_URL": server.url])
        let again = try await LedgerImportStage(runner: StageRunner(store: fromCSV)).run([source])
        #expect(again.importId == 2 && again.total == LedgerImportCounts(unchanged: Self.rows))
        #expect(again.sources.map(\.label) == ["LEDGER_DATABASE_URL query"])
    }

    @Test func aBadRowNamesItsRowAndColumnAndNothingIsWritten() async throws {
        let server = try Self.server.get()
        let store = try PayreconStore(path: Self.scratch("bad") + ".sqlite")
        let query = """
            SELECT * FROM (VALUES ('g1', 'o1', 'payment', 1.00::numeric, 'USD', NULL::text, timestamptz '2026-09-30 10:00:00+00', NULL::text),
              ('b2', 'o2', 'payment', 12.3450, 'USD', NULL, timestamptz '2026-09-30 11:00:00+00', NULL),
              ('n3', NULL, 'payment', 5.00, 'USD', NULL, timestamptz '2026-09-30 12:00:00+00', NULL))
              AS v(entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id)
            """
        let source = try PostgresLedgerSource(
            urlEnvironmentVariable: "LEDGER_DATABASE_URL", query: query,
            environment: ["LEDGER_DATABASE_URL": server.url])
        let error = await #expect(throws: LedgerImportError.self) {
            _ = try await LedgerImportStage(runner: StageRunner(store: store)).run([source])
        }
        // 12.3450 loses its trailing zero and keeps a third decimal, which USD does not have; order_id is not optional.
        #expect(
            error?.diagnostics.map(\.description) == [
                "LEDGER_DATABASE_URL query:2:4: error: amount: '12.345' has more decimals than USD allows (2)",
                "LEDGER_DATABASE_URL query:3:2: error: order_id: empty (expected the order the entry belongs to)",
            ])
        #expect(try store.ledgerCount() == 0)
        #expect(try store.runs().map(\.status) == ["failed"])
        // A query PostgreSQL refuses: its message and SQLSTATE, and exit 2 from the command.
        let wrong = try PayreconBinary.run(
            ["ledger", "import", "--postgres-query", "SELECT * FROM no_such_table", "--db", store.path],
            environment: ["LEDGER_DATABASE_URL": server.url])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("the ledger query failed: relation \"no_such_table\" does not exist (SQLSTATE 42P01)"), "\(wrong.stderr)")
    }

    @Test func aRefusedConnectionIsAClearErrorThatKeepsThePasswordOut() throws {
        let port = try PostgresServer.freePort()
        let db = Self.scratch("refused") + ".sqlite"
        let outcome = try PayreconBinary.run(
            ["ledger", "import", "--postgres-query", Self.query, "--db", db],
            environment: ["LEDGER_DATABASE_URL": "postgres://postgres:hunter2@127.0.0.1:\(port)/postgres"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("LEDGER_DATABASE_URL query: error: cannot reach the ledger database"), "\(outcome.stderr)")
        #expect(!(outcome.stderr + outcome.stdout).contains("hunter2"))
        let unset = try PayreconBinary.run(
            ["ledger", "import", "--postgres-query", Self.query, "--db", db], environment: ["LEDGER_DATABASE_URL": ""])
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("set LEDGER_DATABASE_URL to the ledger database's URL"))
    }

    /// TLS as libpq's sslmode says: a server's certificate checked against the root given, and refused
    /// when it cannot be checked; a plain server refused where TLS is required.
    @Test func tlsIsCheckedAsSslmodeSays() throws {
        let certificate = Self.scratch("server") + ".pem"
        let secure = try PostgresServer(tlsCertificate: certificate)
        defer { secure.stop() }
        let query =
            "SELECT 'e1' AS entry_id, 'o1' AS order_id, 'payment' AS type, 12.50 AS amount, 'USD' AS currency, "
            + "NULL AS stripe_id, timestamptz '2026-09-30 10:00:00+00' AS created_at, NULL AS supplier_id"
        func run(_ url: String) throws -> PayreconBinary.Outcome {
            try PayreconBinary.run(
                ["ledger", "import", "--postgres-query", query, "--db", Self.scratch("tls") + ".sqlite"], environment: ["LEDGER_DATABASE_URL": url])
        }
        let verified = try run(secure.url + "?sslmode=verify-full&sslrootcert=\(certificate)")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("imported 1 ledger entries"))
        #expect(try run(secure.url + "?sslmode=require").status == 0)
        // The system's roots do not know a self-signed certificate.
        let unverifiable = try run(secure.url + "?sslmode=verify-full")
        #expect(unverifiable.status == 2)
        #expect(
            unverifiable.stderr.contains("cannot reach the ledger database: its TLS certificate could not be verified"), "\(unverifiable.stderr)")
        // A server without TLS where TLS is required.
        let plain = try run(try Self.server.get().url + "?sslmode=require")
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("the server does not offer TLS, which sslmode requires"), "\(plain.stderr)")
        let unknown = try run(secure.url + "?sslmode=maybe")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("sslmode 'maybe' is not one of disable, allow, prefer, require, verify-ca, verify-full"))
    }
}
