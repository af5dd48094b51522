import Core
import Foundation
import PaymentsPostgres
import SandboxData
import Stages
import Store
import TestSupport
import Testing

/// `payrecon run` against the sandbox: two nights equal one run over their range, one run at a time
/// per store, a killed run is completed by the next, people are told, and a bad config file is named
/// key by key (exit 64).
@Suite(.serialized) struct NightlyRunTests {
    static let orders = 400
    static let seed: UInt64 = 17
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: orders, seed: seed))

    /// A folder with the sandbox's ledger and truth, and a sandbox serving the account.
    final class Night {
        let folder: URL
        let sandbox: Process
        let port: Int

        init(latencyMs: Int = 0) throws {
            folder = TestScratch.directory.appendingPathComponent("payrecon-nightly-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            (sandbox, port) = try PayreconBinary.startServer([
                "sandbox", "--port", "0", "--orders", "\(NightlyRunTests.orders)", "--seed", "\(NightlyRunTests.seed)",
                "--ledger-out", folder.appendingPathComponent("ledger.csv").path, "--truth-out", folder.appendingPathComponent("truth.json").path,
                "--latency-ms", "\(latencyMs)",
            ])
        }

        deinit {
            sandbox.terminate()
            sandbox.waitUntilExit()
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        /// A config file for a store of this night; `extra` is appended as it is.
        func config(_ name: String, store: String, extra: String = "") throws -> String {
            let text = """
                store: \(path(store))
                stripe:
                  api_base: http://127.0.0.1:\(port)
                  api_key_env: STRIPE_API_KEY
                  requests_per_second: 1000
                ledger:
                  csv: \(path("ledger.csv"))
                reconcile:
                  time_zone: UTC
                  fail_on: critical
                report:
                  out: \(path(store + "-reports"))
                metrics:
                  textfile: \(path(store + ".prom"))

                """ + extra
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }
    }

    static let environment = ["STRIPE_API_KEY": "sk_test_nightly"]

    static func run(_ config: String, _ range: (String, String)? = nil, environment: [String: String] = environment) throws
        -> PayreconBinary.Outcome
    {
        try PayreconBinary.run(["run", "--config", config] + (range.map { ["--from", $0.0, "--to", $0.1] } ?? []), environment: environment)
    }

    /// The requests an extract stage made, from the run's printed summary.
    static func requests(_ stdout: String) -> Int? {
        stdout.firstMatch(of: /extract: ok in [0-9.]+ s: .*; (\d+) requests/).flatMap { Int($0.1) }
    }

    @Test func twoNightsInARowEqualOneRunOverTheirRange() throws {
        let night = try Night()
        let (first, last) = (Self.account.firstDay, Self.account.lastDay)
        let middle = "2026-08-15"
        let twice = try night.config("twice.yaml", store: "twice.sqlite")
        let one = try Self.run(twice, (first, middle))
        #expect(one.status == 1, "\(one.stderr)")
        let two = try Self.run(twice, ("2026-08-16", last))
        #expect(two.status == 1, "\(two.stderr)")
        // The second night pulls what is new since the first (and re-reads what can still change), not the account.
        let firstRequests = try #require(Self.requests(one.stdout))
        let secondRequests = try #require(Self.requests(two.stdout))
        #expect(secondRequests * 3 < firstRequests, "first \(firstRequests), second \(secondRequests) requests")

        let once = try night.config("once.yaml", store: "once.sqlite")
        let whole = try Self.run(once, (first, last))
        #expect(whole.status == 1, "\(whole.stderr)")

        let a = try PayreconStore(path: night.path("twice.sqlite"), create: false)
        let b = try PayreconStore(path: night.path("once.sqlite"), create: false)
        let range = try ReportingPeriod(from: first, to: last)
        #expect(try a.matches(from: range.start, to: range.end) == b.matches(from: range.start, to: range.end))
        func findings(_ store: PayreconStore) throws -> [String] {
            try store.discrepancies(from: range.start, to: range.end).map {
                "\($0.discrepancy.id) \($0.status.rawValue) \($0.discrepancy.expected ?? 0) \($0.discrepancy.actual ?? 0)"
            }.sorted()
        }
        let found = try findings(a)
        #expect(found.count == Self.account.truth.count)
        #expect(found == (try findings(b)))
        // The history: two nightly runs with their periods, outcomes and report folders.
        let runs = try PayreconBinary.run(["runs", "--config", twice, "--json"])
        #expect(runs.status == 0, "\(runs.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.map { $0["from"] as? String } == [first, "2026-08-16"])
        #expect(entries.allSatisfy { $0["outcome"] as? String == "discrepancies" && $0["status"] as? String == "succeeded" })
        #expect(FileManager.default.fileExists(atPath: night.path("twice.sqlite-reports/2026-08-16_\(last)/report.xlsx")))
        // The metrics file node_exporter reads: the last run's numbers and the time of the last success.
        let metrics = try String(contentsOfFile: night.path("twice.sqlite.prom"), encoding: .utf8)
        #expect(metrics.contains("# TYPE payrecon_last_success_timestamp_seconds gauge"))
        #expect(metrics.contains("payrecon_run_exit_code 1.0"))
        #expect(metrics.contains("payrecon_stage_duration_seconds{stage=\"reconcile\"}"))
        #expect(metrics.contains("payrecon_open_discrepancies{kind=\"duplicate_charge\"}"))
        // Without dates, the next run starts the day after the last successful one.
        let status = try PayreconBinary.run(["status", "--db", night.path("twice.sqlite"), "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect((parsed?["last_success"] as? [String: Any])?["to"] as? String == last)
        #expect(parsed?["open"] as? Int == Self.account.truth.count)
    }

    /// One run holds the store; a second one started meanwhile refuses, naming the first. The first,
    /// killed with SIGKILL in its extract stage, is completed by the next run, which takes the lock over.
    @Test func oneRunAtATimeAndAKilledRunIsCompletedByTheNext() throws {
        let night = try Night(latencyMs: 40)
        let config = try night.config("locked.yaml", store: "locked.sqlite", extra: "logging:\n  format: json\n")
        let range = (Self.account.firstDay, Self.account.lastDay)
        let first = Process()
        first.executableURL = URL(fileURLWithPath: PayreconBinary.path)
        first.arguments = ["run", "--config", config, "--from", range.0, "--to", range.1]
        first.environment = ProcessInfo.processInfo.environment.merging(Self.environment) { $1 }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        // Wait until its extract has committed a few pages.
        let deadline = Date().addingTimeInterval(60)
        var pages = 0
        while pages < 4, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            pages = (try? PayreconStore(path: night.path("locked.sqlite"), create: false).extractCheckpoints().reduce(0) { $0 + $1.pages }) ?? 0
        }
        #expect(pages >= 4)
        let second = try Self.run(config, range)
        #expect(second.status == 2)
        #expect(second.stderr.contains("already running"), "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        #expect(second.stderr.contains("started 20"), "\(second.stderr)")

        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let next = try Self.run(config, range)
        #expect(next.status == 1, "\(next.stderr)")
        #expect(next.stdout.contains("resumed"), "\(next.stdout)")
        // JSON lines, each with the run id; the takeover is said at warning.
        let lines = next.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!lines.isEmpty && lines.allSatisfy { $0["level"] != nil && $0["message"] != nil })
        #expect(lines.contains { $0["message"] as? String == "took over the run lock from a run that ended without releasing it" })
        #expect(lines.filter { $0["message"] as? String == "stage finished" }.allSatisfy { $0["run_id"] != nil })
        let runs = try PayreconStore(path: night.path("locked.sqlite"), create: false).runs().filter { $0.stage == "nightly" }
        #expect(runs.map(\.status) == ["abandoned", "succeeded"])
        let found = try PayreconStore(path: night.path("locked.sqlite"), create: false)
            .discrepancies(from: try ReportingPeriod(from: range.0, to: range.1).start, to: try ReportingPeriod(from: range.0, to: range.1).end)
        #expect(found.count == Self.account.truth.count)
    }

    /// The email (workbook attached, read back by openpyxl) and the webhook POST (answered 503 once, so
    /// retried) of a run; then a run whose notifications cannot be delivered still exits with its outcome.
    @Test func theRunIsMailedAndPostedAndAFailedNotificationChangesNothing() throws {
        let night = try Night()
        let smtp = try HelperProcess(script: "smtp_sink.py", arguments: [night.path("mail")])
        defer { smtp.stop() }
        let receiver = try HelperProcess(script: "http_receiver.py", arguments: [night.path("posts"), "1"])
        defer { receiver.stop() }
        let config = try night.config(
            "notify.yaml", store: "notify.sqlite",
            extra: """
                notifications:
                  attempts: 3
                  timeout_seconds: 3
                  email:
                    smtp_url: smtp://127.0.0.1:\(smtp.port)
                    from: payrecon <payrecon@marketplace.example>
                    to: [finance@marketplace.example]
                  webhook:
                    url_env: CHAT_WEBHOOK_URL

                """)
        var environment = Self.environment
        environment["CHAT_WEBHOOK_URL"] = "\(receiver.baseURL)/hooks/finance"
        let outcome = try Self.run(config, (Self.account.firstDay, Self.account.lastDay), environment: environment)
        #expect(outcome.status == 1, "\(outcome.stderr)")
        let mails = try FileManager.default.contentsOfDirectory(atPath: night.path("mail")).filter { $0.hasSuffix(".eml") }
        #expect(mails.count == 1)
        let mail = night.path("mail/" + (mails.first ?? ""))
        let workbook = night.path("attached.xlsx")
        let extract = Process()
        extract.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        extract.arguments = [
            "python3", "-c",
            """
            import email, sys
            message = email.message_from_binary_file(open(sys.argv[1], 'rb'))
            print(message['Subject'])
            for part in message.walk():
                if part.get_filename():
                    open(sys.argv[2], 'wb').write(part.get_payload(decode=True))
                    print(part.get_filename())
            """, mail, workbook,
        ]
        let printed = Pipe()
        extract.standardOutput = printed
        try extract.run()
        extract.waitUntilExit()
        let said = String(decoding: printed.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(said.contains("open discrepancies at or above critical"), "\(said)")
        #expect(said.contains("payrecon-\(Self.account.firstDay)_\(Self.account.lastDay).xlsx"))
        let sheets = try WorkbookInspection.inspect(workbook).sheets
        #expect(sheets.first == "Summary" && sheets.contains("Matched"))
        let posts = try FileManager.default.contentsOfDirectory(atPath: night.path("posts")).filter { $0.hasSuffix(".json") }
        #expect(posts.count == 1)
        let post =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: night.path("posts/" + (posts.first ?? "")))))
            as? [String: Any]
        let body = (post?["body"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? post
        #expect((body?["text"] as? String)?.contains("duplicate_charge") == true, "\(String(describing: post))")
        #expect((body?["run"] as? [String: Any])?["status"] as? String == "discrepancies")

        // Nothing listens at either address now: the run's outcome and its data are what they would be.
        smtp.stop()
        receiver.stop()
        let again = try Self.run(config, ("2026-09-01", Self.account.lastDay), environment: environment)
        #expect(again.status == 1, "\(again.stderr)")
        #expect(again.stderr.contains("notification failed, given up"), "\(again.stderr)")
        let runs = try PayreconStore(path: night.path("notify.sqlite"), create: false).runs().filter { $0.stage == "nightly" }
        #expect(runs.map(\.status) == ["succeeded", "succeeded"])
    }

    /// A ledger that cannot be read fails the run (exit 2) at ledger sync: the extract before it stays
    /// committed, the ledger is as it was, and the next run, with the file back, does the period again.
    @Test func aFailedLedgerSyncFailsTheRunAndTheNextOneRedoesIt() throws {
        let night = try Night()
        let config = try night.config("ledger.yaml", store: "ledger.sqlite")
        let ledger = night.path("ledger.csv")
        try FileManager.default.moveItem(atPath: ledger, toPath: ledger + ".away")
        let failed = try Self.run(config, (Self.account.firstDay, Self.account.lastDay))
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(failed.stdout.contains("the run FAILED at ledger_sync"), "\(failed.stdout)")
        #expect(failed.stdout.contains("extract: ok"))
        let store = try PayreconStore(path: night.path("ledger.sqlite"), create: false)
        #expect(try store.stripeCounts()["stripe_charge"] == Self.account.stripe.charges.count)
        #expect(try store.ledgerCount() == 0)
        try FileManager.default.moveItem(atPath: ledger + ".away", toPath: ledger)
        // No dates: the failed run did not count, so the next one starts where the first would have.
        var planned = try Self.run(config, (Self.account.firstDay, Self.account.lastDay))
        #expect(planned.status == 1, "\(planned.stderr)")
        #expect(try store.runs().filter { $0.stage == "nightly" }.map(\.status) == ["failed", "succeeded"])
        planned = try Self.run(config)
        #expect(planned.stdout.contains("period \(Self.day(after: Self.account.lastDay))"), "\(planned.stdout)")
        // The key is read as a secret: it is in no output.
        #expect(!(failed.stdout + failed.stderr + planned.stdout + planned.stderr).contains("sk_test_nightly"))
    }

    @Test func servesLedgerInPostgreSQLIsSyncedBesideTheLedgerFile() throws {
        let night = try Night()
        let postgres = try PostgresServer()
        defer { postgres.stop() }
        let (url, _) = try postgres.freshDatabase()
        let payments = try PostgresPaymentsStore(url: url, variable: "PAYMENTS_DATABASE_URL")
        let booked = try #require(ISO8601Time.parse(Self.account.firstDay + "T12:00:00Z"))
        let eur = try Currency(code: "EUR")
        _ = try payments.withPaymentsTransaction(at: booked) { tx in
            try tx.appendLedger(
                LedgerEntry(
                    entryId: "pay-ord_serve-1", orderId: "ord_serve-1", kind: .payment, amount: Money(minorUnits: 11_900, currency: eur),
                    stripeId: "pi_serve_1", createdAt: booked, supplierId: "S-1"))
        }
        // One action of serve's from that day, and one from a moment ago (its transaction may still be open: left for the next run).
        try payments.appendAudit(
            AuditEntry(at: booked, actor: "token:backend", action: "refund.requested", subject: "ord_serve-1", after: "5.00 EUR"))
        try payments.appendAudit(AuditEntry(at: StageClock.now(), actor: "stripe", action: "order.booked", subject: "ord_serve-2"))
        payments.shutdown()
        let config = try night.config("serve-ledger.yaml", store: "serve-ledger.sqlite", extra: "serve:\n  postgres_url_env: PAYMENTS_DATABASE_URL\n")
        let outcome = try Self.run(
            config, (Self.account.firstDay, Self.account.lastDay), environment: Self.environment.merging(["PAYMENTS_DATABASE_URL": url]) { $1 })
        #expect(outcome.stdout.contains("ledger_sync: ok"), "\(outcome.stdout)\(outcome.stderr)")
        let store = try PayreconStore(path: night.path("serve-ledger.sqlite"), create: false)
        #expect(try store.ledgerCount() == Self.account.ledger.count + 1)
        let imported = try store.loadLedger(from: booked, to: booked.adding(seconds: 1)).filter { $0.entryId == "pay-ord_serve-1" }
        #expect(imported.map(\.amount) == [Money(minorUnits: 11_900, currency: eur)])
        #expect(imported.map(\.createdAt) == [booked])
        // The connection string holds no password here, but it is never printed either way.
        #expect(!(outcome.stdout + outcome.stderr).contains(url))
        // serve's audit log reaches the store the auditor export reads, each entry once however often the run repeats.
        func copied() throws -> [AuditEntry] {
            try store.auditLog(from: Timestamp(seconds: 0), to: StageClock.now().adding(seconds: 3_600)).filter { $0.subject.hasPrefix("ord_serve") }
        }
        #expect(try copied().map(\.action) == ["refund.requested"])
        #expect(try copied().first?.at == booked)
        #expect(outcome.stdout.contains("1 audit entries from serve"), "\(outcome.stdout)")
        _ = try Self.run(config, environment: Self.environment.merging(["PAYMENTS_DATABASE_URL": url]) { $1 })
        #expect(try copied().map(\.action) == ["refund.requested"])
    }

    static func day(after day: String) -> String {
        String(ISO8601Time.formatWallClock(seconds: (ISO8601Time.parseDay(day)! + 1) * 86_400).prefix(10))
    }

    @Test func aBadConfigFileNamesEachKeyAndExits64() throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-badconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("bad.yaml").path
        try """
        stripe:
          api_key_env: STRIPE_API_KEY
          requests_per_secnd: 25
          concurrency: four
        ledger:
          csv: ledger.csv
        report:
          out: reports
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try PayreconBinary.run(["run", "--config", file])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("bad.yaml:3:3: stripe.requests_per_secnd: unknown key (known here: api_base,"), "\(bad.stderr)")
        #expect(bad.stderr.contains("bad.yaml:4:16: stripe.concurrency: expected an integer, got 'four'"), "\(bad.stderr)")
        // The shape is right; what is missing and what the environment got wrong are named too.
        try """
        stripe:
          api_key_env: STRIPE_API_KEY
        ledger:
          csv: ledger.csv
        report:
          out: reports
        reconcile:
          fail_on: severe
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let missing = try PayreconBinary.run(["run", "--config", file], environment: ["PAYRECON_STRIPE_CONCURRENCY": "lots"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("store: missing: the path of the payrecon store"), "\(missing.stderr)")
        #expect(missing.stderr.contains("stripe.concurrency: expected an integer, got 'lots' (PAYRECON_STRIPE_CONCURRENCY or the file)"))
        #expect(missing.stderr.contains("reconcile.fail_on: expected one of low, medium, high, critical, got 'severe'"))
        let status = try PayreconBinary.run(["status", "--config", file])
        #expect(status.status == 64)
        // The example config is valid as shipped.
        let example = packageRoot.appendingPathComponent("fixtures/payrecon.example.yaml").path
        let runs = try PayreconBinary.run(["runs", "--config", example])
        #expect(!runs.stderr.contains("bad config file"), "\(runs.stderr)")
    }
}
