import Core
import Foundation
import Report
import SandboxData
import Stages
import Store
import TestSupport
import Testing

/// An auditor's export: the same range twice gives the same bytes, and verify-export names every file
/// that changed, went missing or was added.
@Suite(.serialized) struct ExportTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 300, seed: 21))

    static func scratch(_ name: String) -> String { TestScratch.directory.appendingPathComponent("\(name)-\(UUID().uuidString)").path }

    /// A store with the account's Stripe data and ledger, reconciled over its whole range, one item resolved.
    static func reconciledStore() async throws -> (store: PayreconStore, period: ReportingPeriod) {
        let store = try PayreconStore(path: scratch("export") + ".sqlite")
        try store.saveStripe(account.stripe, watermarks: ["charge": 1_790_000_000], at: Timestamp(seconds: 1_800_000_000))
        let ledger = scratch("ledger") + ".csv"
        try Data(account.ledgerCSV().utf8).write(to: URL(fileURLWithPath: ledger))
        _ = try await LedgerImportStage(runner: StageRunner(store: store)).run(path: ledger)
        let period = try ReportingPeriod(from: account.firstDay, to: account.lastDay)
        let runner = StageRunner(store: store, clock: { Timestamp(seconds: 1_800_000_100) })
        let result = try ReconcileStage(runner: runner).run(period: period, options: .init(), now: Timestamp(seconds: 1_800_000_100)).result
        let first = try #require(result.discrepancies.first)
        _ = try store.resolve(id: first.id, note: "=HYPERLINK(\"http://x\") checked with Stripe", by: "ana", at: Timestamp(seconds: 1_800_000_200))
        return (store, period)
    }

    func export(_ store: PayreconStore, _ period: ReportingPeriod, to out: String) throws -> PayreconBinary.Outcome {
        try PayreconBinary.run(["export", "--db", store.path, "--from", period.firstDay, "--to", period.lastDay, "--out", out])
    }

    func files(_ folder: String) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) })
    }

    @Test func theSameRangeExportedTwiceIsTheSameBytesAndItsManifestDescribesEveryFile() async throws {
        let (store, period) = try await Self.reconciledStore()
        let first = Self.scratch("first")
        let second = Self.scratch("second")
        let a = try export(store, period, to: first)
        #expect(a.status == 0, "\(a.stderr)")
        // Seconds apart on the clock (a zip entry's time has a 2-second grain), and another run recorded in
        // between: the files do not change.
        try await Task.sleep(for: .milliseconds(2_100))
        let b = try export(store, period, to: second)
        #expect(b.status == 0, "\(b.stderr)")
        let (one, two) = (try files(first), try files(second))
        #expect(
            one.keys.sorted() == [
                "audit_log.csv", "closed.csv", "discrepancies.csv", "discrepancy_history.csv", "disputes.csv", "fees.csv", "ledger_only.csv",
                "manifest.json",
                "matched.csv",
                "payouts.csv", "report.xlsx", "stripe_only.csv", "summary.csv",
            ])
        #expect(one == two)
        let manifest = try ExportManifest.decode(try #require(one["manifest.json"]))
        #expect(manifest.format == "payrecon-export/1" && manifest.stripeApiVersion == "2024-06-20" && manifest.toolVersion == "0.1.0")
        #expect(manifest.parameters == .init(from: period.firstDay, to: period.lastDay, timeZone: "UTC"))
        #expect(manifest.asOf == Timestamp(seconds: 1_800_000_100).iso8601)
        #expect(manifest.watermarks.stripe == ["charge": Timestamp(seconds: 1_790_000_000).iso8601] && manifest.watermarks.lastLedgerImport == 1)
        #expect(manifest.runs.map(\.stage) == ["ledger_import", "reconcile"])
        for file in manifest.files {
            let data = try #require(one[file.name])
            #expect(file.bytes == data.count)
            #expect(try file.sha256 == ExportManifest.sha256(of: URL(fileURLWithPath: first + "/" + file.name)).hex)
        }
        let discrepancies = try #require(manifest.files.first { $0.name == "discrepancies.csv" })
        #expect(discrepancies.rows == Self.account.truth.count)
        #expect(manifest.files.first { $0.name == "report.xlsx" }?.sheetRows?["Discrepancies"] == Self.account.truth.count)
        // The history says who resolved what and why, its note escaped for a spreadsheet.
        let history = String(decoding: try #require(one["discrepancy_history.csv"]), as: UTF8.self)
        #expect(history.hasPrefix("discrepancy_id,at,status,actor,note,run_id\r\n"))
        #expect(history.contains(",resolved,ana,\"'=HYPERLINK(\"\"http://x\"\") checked with Stripe\","))
        // The manifest's own hash, printed for the auditor, is the file's.
        let printed = a.stdout.split(separator: "\n").last.map(String.init)
        #expect(try printed == "manifest.json sha256 " + ExportManifest.sha256(of: URL(fileURLWithPath: first + "/manifest.json")).hex)
    }

    /// The audit log's entries of the range go into the export: here January 2027, when "ana" resolved an
    /// item (its note a formula, escaped), and nothing of the ledger import made today.
    @Test func theExportHoldsTheAuditLogOfItsRange() async throws {
        let (store, _) = try await Self.reconciledStore()
        let january = try ReportingPeriod(from: "2027-01-01", to: "2027-01-31")
        let runner = StageRunner(store: store, clock: { Timestamp(seconds: 1_800_000_300) })
        _ = try ReconcileStage(runner: runner).run(period: january, options: .init(), now: Timestamp(seconds: 1_800_000_300))
        let folder = Self.scratch("audit-log")
        let outcome = try export(store, january, to: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try String(contentsOfFile: folder + "/audit_log.csv", encoding: .utf8).components(separatedBy: "\r\n")
        let resolved = try #require(
            try store.discrepancies(from: ReportingPeriod(from: Self.account.firstDay, to: Self.account.lastDay).start, to: january.end)
                .first { $0.status == .resolved })
        #expect(
            lines == [
                "at,actor,action,subject,request_id,before,after,note",
                "2027-01-15 08:03:20,ana,discrepancy.resolve,\(resolved.discrepancy.id),,open,resolved,\"'=HYPERLINK(\"\"http://x\"\") checked with Stripe\"",
                "",
            ])
        let manifest = try ExportManifest.decode(try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")))
        #expect(manifest.files.first { $0.name == "audit_log.csv" }?.rows == 1)
    }

    @Test func verifyExportNamesAChangedAMissingAndAnAddedFile() async throws {
        let (store, period) = try await Self.reconciledStore()
        let folder = Self.scratch("audit")
        #expect(try export(store, period, to: folder).status == 0)
        let intact = try PayreconBinary.run(["verify-export", folder])
        #expect(intact.status == 0)
        #expect(intact.stdout.hasPrefix("intact: 12 files match manifest.json (sha256 "))

        // One byte of matched.csv changed, payouts.csv removed, a file slipped in.
        let matched = URL(fileURLWithPath: folder + "/matched.csv")
        var bytes = try Data(contentsOf: matched)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: matched)
        try FileManager.default.removeItem(atPath: folder + "/payouts.csv")
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
        let broken = try PayreconBinary.run(["verify-export", folder])
        #expect(broken.status == 1)
        #expect(
            broken.stdout.split(separator: "\n").map(String.init) == [
                "changed: matched.csv", "missing: payouts.csv", "added: notes.txt", "not intact: 1 changed, 1 missing, 1 added",
            ])

        // An export never writes over a folder, and a period never reconciled cannot be exported.
        let again = try export(store, period, to: folder)
        #expect(again.status == 2 && again.stderr.contains("exists; an export is never written over"))
        let other = try ReportingPeriod(from: "2020-01-01", to: "2020-01-31")
        let unreconciled = try export(store, other, to: Self.scratch("none"))
        #expect(unreconciled.status == 2)
        #expect(unreconciled.stderr.contains("no reconcile of 2020-01-01..2020-01-31 UTC has succeeded yet"), "\(unreconciled.stderr)")
        let notAnExport = try PayreconBinary.run(["verify-export", TestScratch.directory.path])
        #expect(notAnExport.status == 2 && notAnExport.stderr.contains("manifest.json: not an export's manifest"))
    }

    /// Ledger ids and orders a spreadsheet would run, booked with no Stripe counterpart: every CSV cell
    /// holding them is escaped, and the workbook holds them as strings (no formula anywhere in its XML).
    @Test func aLedgerOfFormulasReachesTheReportAsText() async throws {
        let store = try PayreconStore(path: Self.scratch("hostile") + ".sqlite")
        let ledger = Self.scratch("hostile") + ".csv"
        // (A leading tab is trimmed off a ledger field, so it never reaches a report; the writer's test covers it.)
        let hostile = ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv = "entry_id,order_id,type,amount,currency,created_at\n"
        for (k, text) in hostile.enumerated() {
            csv += "\(quoted(text)),\(quoted(text + "-o\(k)")),payment,1\(k).00,USD,2026-09-0\(k + 1)T10:00:00Z\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: ledger))
        _ = try await LedgerImportStage(runner: StageRunner(store: store)).run(path: ledger)
        let period = try ReportingPeriod(from: "2026-09-01", to: "2026-09-30")
        _ = try ReconcileStage(store: store).run(period: period, options: .init(), now: Timestamp(seconds: 1_800_000_000))
        let out = Self.scratch("hostile-report")
        let report = try PayreconBinary.run(["report", "--db", store.path, "--from", "2026-09-01", "--to", "2026-09-30", "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        let ledgerOnly = try String(contentsOfFile: out + "/ledger_only.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(ledgerOnly.count == hostile.count + 2)
        for line in ledgerOnly.dropFirst() where !line.isEmpty {
            // The id and the order both start with the formula's character: both escaped.
            #expect(line.hasPrefix("'") || line.hasPrefix("\"'"), "\(line)")
            #expect(line.contains(",'") || line.contains(",\"'"), "\(line)")
        }
        let sheets = try CommandOutput.run(["unzip", "-p", out + "/report.xlsx", "xl/worksheets/*.xml"])
        #expect(!sheets.contains("<f>") && !sheets.contains("<f "))
        let workbook = try WorkbookInspection.inspect(out + "/report.xlsx")
        let ids = Set(workbook.detail["Ledger-only"]?.cells.map { $0[0][0] } ?? [])
        #expect(ids == Set(hostile.map { .string($0) }))
    }
}
