import Core
import Foundation
import Report
import Store
import StripeAPI

/// An auditor's export of a reconciled period: the workbook, one CSV per sheet, the discrepancy
/// history, the audit log of the period and manifest.json (what was asked for, the runs and watermarks the data came from, every
/// file's SHA-256). Everything is as of the period's last successful reconcile run, never the clock,
/// so the same range exported twice from the same data gives the same bytes. The folder is written
/// beside its destination and renamed into place: an export is whole or absent.
public struct ExportStage {
    public let runner: StageRunner

    public init(runner: StageRunner) { self.runner = runner }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The export's folder and its manifest's SHA-256 (to hand to the auditor beside the folder).
    public func run(period: ReportingPeriod, out: String, toolVersion: String) throws -> (folder: URL, manifestSHA256: String) {
        let destination = URL(fileURLWithPath: out)
        guard !FileManager.default.fileExists(atPath: destination.path) else {
            throw Failure(description: "\(out) exists; an export is never written over (choose a new folder)")
        }
        return try runner.run("export", parameters: "period=\(period) out=\(out)") { _ in
            let runs = try runner.store.runs()
            guard
                let reconcile = runs.last(where: {
                    $0.stage == "reconcile" && $0.status == "succeeded" && $0.parameters.hasPrefix("period=\(period) ")
                }),
                let asOf = reconcile.finishedAt
            else {
                throw Failure(
                    description:
                        "no reconcile of \(period) has succeeded yet: run payrecon reconcile --from \(period.firstDay) --to \(period.lastDay) "
                        + "--tz \(period.timeZoneName) first")
            }
            let partial = URL(fileURLWithPath: out + ".partial-\(getpid())")
            try? FileManager.default.removeItem(at: partial)
            do {
                let manifest = try write(period: period, asOf: asOf, reconcile: reconcile, runs: runs, into: partial, toolVersion: toolVersion)
                try FileManager.default.moveItem(at: partial, to: destination)
                let sha = try ExportManifest.sha256(of: destination.appendingPathComponent(ExportManifest.fileName)).hex
                return .init((destination, sha), summary: "files=\(manifest.files.count) manifest_sha256=\(sha)")
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
        }
    }

    private func write(period: ReportingPeriod, asOf: Timestamp, reconcile: RunRecord, runs: [RunRecord], into folder: URL, toolVersion: String)
        throws -> ExportManifest
    {
        let builder = ReportBuilder(store: runner.store, period: period, now: asOf)
        let book = try builder.book()
        let history = try builder.historyTable()
        let audit = try builder.auditTable()
        let written = try ReportWriter.write(book, to: folder, formats: [.xlsx, .csv], created: asOf)
        _ = try CSVReportWriter.write(history, to: folder)
        _ = try CSVReportWriter.write(audit, to: folder)
        var files: [ExportManifest.File] = []
        func record(_ name: String, rows: Int?, sheetRows: [String: Int]? = nil) throws {
            let (sha, bytes) = try ExportManifest.sha256(of: folder.appendingPathComponent(name))
            files.append(ExportManifest.File(name: name, bytes: bytes, rows: rows, sheetRows: sheetRows, sha256: sha))
        }
        try record("report.xlsx", rows: nil, sheetRows: written.rows)
        for table in written.tables { try record(table.fileName, rows: table.rows) }
        try record(history.fileName, rows: history.rows.count)
        try record(audit.fileName, rows: audit.rows.count)
        let provenance = try runner.store.exportProvenance()
        // The runs the data came from: the reconcile itself and the last extract and ledger import before it.
        let sources = ["extract", "ledger_import"].compactMap { stage in
            runs.last { $0.stage == stage && $0.status == "succeeded" && ($0.finishedAt ?? asOf) <= asOf }
        }
        let manifest = ExportManifest(
            toolVersion: toolVersion, stripeApiVersion: StripeVersion.pinned,
            parameters: .init(from: period.firstDay, to: period.lastDay, timeZone: period.timeZoneName), asOf: asOf.iso8601,
            watermarks: .init(
                stripe: provenance.stripeWatermarks.mapValues { Timestamp(seconds: $0).iso8601 },
                newestLedgerEntry: provenance.newestLedgerEntry?.iso8601, lastLedgerImport: provenance.lastLedgerImport),
            runs: (sources + [reconcile]).sorted { $0.id < $1.id }.map {
                ExportManifest.Run(id: $0.id, stage: $0.stage, finishedAt: ($0.finishedAt ?? asOf).iso8601, parameters: $0.parameters)
            },
            files: files.sorted { $0.name < $1.name })
        try manifest.encoded().write(to: folder.appendingPathComponent(ExportManifest.fileName))
        return manifest
    }
}
