import ArgumentParser
import Report
import Stages
import Store

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write report.xlsx and one CSV per sheet for a reconciled period.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Output folder.")
    var out: String
    @Option(name: .long, help: "Comma-separated formats: xlsx, csv.")
    var format: String = "xlsx,csv"

    func formats() throws -> Set<ReportWriter.Format> {
        let names = format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = names.compactMap(ReportWriter.Format.init(rawValue:))
        guard parsed.count == names.count, !parsed.isEmpty else { throw ValidationError("--format takes xlsx, csv or xlsx,csv") }
        return Set(parsed)
    }

    func validate() throws { _ = try formats() }

    func run() async throws {
        let period = try self.period.period()
        let formats = try formats()
        try await failingWithExitCode2 {
            let db = try PayreconStore(path: store.db, create: false)
            for url in try ReportStage(runner: StageRunner(store: db)).run(period: period, out: out, formats: formats) { print(url.path) }
        }
    }
}
