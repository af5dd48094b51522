import ArgumentParser
import Foundation
import Report
import Stages
import Store

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an auditor's export of a reconciled period: the workbook, the CSVs, the discrepancy history and manifest.json.",
        discussion: """
            The folder must not exist yet. manifest.json lists the parameters, the tool and Stripe API versions, the data's \
            watermarks, the runs it came from and every file's SHA-256; the manifest's own SHA-256 is printed, to hand over \
            beside the folder. The same range exported twice from the same data gives the same bytes. Check a folder with \
            payrecon verify-export.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "The export's folder (created; it must not exist).")
    var out: String

    func run() async throws {
        let period = try self.period.period()
        try await failingWithExitCode2 {
            let db = try PayreconStore(path: store.db, create: false)
            let export = try ExportStage(runner: StageRunner(store: db))
                .run(period: period, out: out, toolVersion: PayreconCommand.configuration.version)
            print("exported \(period) to \(export.folder.path)")
            print("manifest.json sha256 \(export.manifestSHA256)")
        }
    }
}

struct VerifyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export",
        abstract: "Check an export folder against its manifest.json: exit 0 when intact, 1 naming each changed, missing or added file.")

    @Argument(help: "The export's folder.")
    var folder: String

    func run() async throws {
        let outcome = try await failingWithExitCode2 { try ExportVerifier.verify(URL(fileURLWithPath: folder)) }
        let manifest = try? ExportManifest.sha256(of: URL(fileURLWithPath: folder).appendingPathComponent(ExportManifest.fileName)).hex
        for name in outcome.changed { print("changed: \(name)") }
        for name in outcome.missing { print("missing: \(name)") }
        for name in outcome.added { print("added: \(name)") }
        if outcome.intact {
            print("intact: \(outcome.checked) files match manifest.json (sha256 \(manifest ?? "?"))")
        } else {
            print("not intact: \(outcome.changed.count) changed, \(outcome.missing.count) missing, \(outcome.added.count) added")
            throw ExitCode(1)
        }
    }
}
