import Foundation
import TestSupport
import Testing

/// The executable's contract: exit codes 0, 1, 2 and 64, errors on stderr, secrets never echoed.
@Suite(.serialized) struct CommandLineTests {
    static let demo: URL = {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-cli-\(UUID().uuidString)")
        let outcome = try! PayreconBinary.run(["demo", "--orders", "300", "--out", folder.path])
        precondition(outcome.status == 0, outcome.stderr)
        return folder
    }()

    var db: String { Self.demo.appendingPathComponent("payrecon.sqlite").path }

    @Test func demoWritesTheReportAndSummarizes() throws {
        for file in ["report.xlsx", "discrepancies.csv", "summary.csv", "matched.csv", "payouts.csv", "ledger.csv", "truth.json"] {
            #expect(FileManager.default.fileExists(atPath: Self.demo.appendingPathComponent(file).path), "\(file)")
        }
        let again = try PayreconBinary.run(["demo", "--orders", "300", "--out", Self.demo.path + "-again"])
        #expect(again.status == 0)
        // 3 of each kind, and one of each flagged money shape (two refunds booked that Stripe did not make).
        #expect(again.stdout.contains("discrepancies: 44 found, 44 planted"))
        #expect(again.stdout.contains("refund_failed_after_success_booked   1 planted, refund_missing_in_stripe ok"))
        #expect(!again.stdout.contains("WRONG"))
        #expect(again.stdout.contains("missing_in_ledger          found 3  planted 3"))
    }

    @Test func failOnMapsOpenDiscrepanciesToExitCodeOne() throws {
        let critical = try PayreconBinary.run(["reconcile", "--db", db, "--from", "2026-07-03", "--to", "2026-09-30", "--fail-on", "critical"])
        #expect(critical.status == 1)
        #expect(critical.stdout.contains("duplicate_charge: 3"))
        let quiet = try PayreconBinary.run(["reconcile", "--db", db, "--from", "2020-01-01", "--to", "2020-01-31", "--fail-on", "low"])
        #expect(quiet.status == 0)
        let usage = try PayreconBinary.run(["reconcile", "--db", db, "--from", "2026-07-03", "--to", "2026-09-30", "--fail-on", "severe"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--fail-on must be one of low, medium, high, critical"))
        let badDate = try PayreconBinary.run(["reconcile", "--db", db, "--from", "2026-07-03", "--to", "2026-09-31"])
        #expect(badDate.status == 64)
    }

    @Test func extractNeedsAKeyFromTheEnvironmentAndNeverPrintsIt() throws {
        let missing = try PayreconBinary.run(["extract", "--db", db, "--api-base", "http://127.0.0.1:9"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("set STRIPE_API_KEY"))
        let unreachable = try PayreconBinary.run(
            ["extract", "--db", db, "--api-base", "http://127.0.0.1:9"],
            environment: ["STRIPE_API_KEY": "sk_test_supersecretvalue"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("connection_error"))
        #expect(!(unreachable.stderr + unreachable.stdout).contains("supersecretvalue"))
    }

    @Test func reportWritesOnlyTheFormatsAskedFor() throws {
        let out = Self.demo.appendingPathComponent("csv-only").path
        let outcome = try PayreconBinary.run([
            "report", "--db", db, "--from", "2026-09-01", "--to", "2026-09-30", "--tz", "Europe/Berlin",
            "--out", out, "--format", "csv",
        ])
        #expect(outcome.status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
                "closed.csv", "discrepancies.csv", "disputes.csv", "fees.csv", "ledger_only.csv", "matched.csv", "payouts.csv", "stripe_only.csv",
                "summary.csv",
            ])
        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        #expect(summary.contains("time zone Europe/Berlin"))
        #expect(
            try PayreconBinary.run(["report", "--db", db, "--from", "2026-09-01", "--to", "2026-09-30", "--out", out, "--format", "pdf"]).status == 64
        )
    }

    /// A range with no data at all, across a year end and a daylight-saving change, is a valid report
    /// with every sheet and no rows, not an error.
    @Test func anEmptyRangeGivesAValidEmptyReport() throws {
        let out = Self.demo.appendingPathComponent("empty").path
        let outcome = try PayreconBinary.run([
            "report", "--db", db, "--from", "2027-10-20", "--to", "2028-01-10", "--tz", "Europe/Berlin", "--out", out,
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let workbook = try WorkbookInspection.inspect(out + "/report.xlsx")
        #expect(workbook.sheets == ["Summary", "Discrepancies", "Payouts", "Matched", "Stripe-only", "Ledger-only", "Fees", "Disputes", "Closed"])
        for name in workbook.sheets.dropFirst() { #expect(workbook.detail[name]?.rows == 0, "\(name)") }
        #expect(
            try String(contentsOfFile: out + "/matched.csv", encoding: .utf8).components(separatedBy: "\r\n") == [
                "match_id,rule,key,order_id,ledger_entry_ids,stripe_ids,ledger_currency,ledger_amount,stripe_currency,stripe_amount,occurred_at,"
                    + "stripe_authorized_amount,settlement_currency,fee,net,payout_ids", "",
            ])
        let summary = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        #expect(summary.contains("Period,2027-10-20 to 2028-01-10"))
        #expect(summary.contains("Matching,match rate,,0,,,,n/a of ledger entries matched,"))
    }

    /// Another office suite opens the workbook and prints every sheet (Tests/scripts/workbook-to-pdf.sh).
    @Test func libreOfficeConvertsTheWorkbookToPDF() throws {
        let out = Self.demo.appendingPathComponent("pdf").path
        let converted = try CommandOutput.capture(
            "/bin/bash", [packageRoot.appendingPathComponent("Tests/scripts/workbook-to-pdf.sh").path, Self.demo.path + "/report.xlsx", out])
        #expect(converted.status == 0, "\(converted.stderr)")
        let pages = converted.stdout.split(separator: " ").dropLast().last.flatMap { Int($0) } ?? 0
        // At least a page a sheet.
        #expect(pages >= 8, "\(converted.stdout)")
        #expect(try CommandOutput.run(["pdftotext", out + "/report.pdf", "-"]).contains("match_id"))
    }
}
