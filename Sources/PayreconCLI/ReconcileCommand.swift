import ArgumentParser
import Core
import Reconcile
import Stages
import Store

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Match the store's Stripe objects against the ledger for a period and record the discrepancies.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "Exit 1 when open discrepancies at or above this severity remain (low, medium, high, critical).")
    var failOn: String?
    @Option(name: .long, help: "Fee schedule JSON (default: the --pricing preset).")
    var feeSchedule: String?
    @Option(name: .long, help: "Stripe's standard pricing of an account in US, GB, EU or JP (default: US); a --fee-schedule file replaces it.")
    var pricing: String?
    @Option(name: .long, help: "Hours read on each side of the period, so rows across the edge still match.")
    var marginHours: Int = Int(Defaults.marginHours)
    @Option(name: .long, help: "Hours during which an item missing its counterpart is pending, not a discrepancy.")
    var settlementWindowHours: Int = Int(Defaults.settlementWindowHours)

    func validate() throws {
        if let failOn, Severity(rawValue: failOn) == nil {
            throw ValidationError("--fail-on must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let pricing {
            do { _ = try PricingPreset(name: pricing) } catch { throw ValidationError("--\(error.description)") }
        }
        guard marginHours >= 0 else { throw ValidationError("--margin-hours must not be negative") }
        guard settlementWindowHours >= 0 else { throw ValidationError("--settlement-window-hours must not be negative") }
    }

    func run() async throws {
        let period = try self.period.period()
        let open = try await failingWithExitCode2 {
            let db = try PayreconStore(path: store.db, create: false)
            let options = ReconcileStage.Options(
                feeSchedule: try FeeScheduleFile.load(feeSchedule, preset: pricing), marginSeconds: Int64(marginHours) * 3_600,
                settlementWindowSeconds: Int64(settlementWindowHours) * 3_600)
            let runner = StageRunner(store: db)
            let result = try ReconcileStage(runner: runner).run(period: period, options: options, now: runner.clock()).result
            print("period \(period): \(result.matches.count) matches, \(result.discrepancies.count) discrepancies, \(result.pending.count) pending")
            for (kind, items) in Dictionary(grouping: result.discrepancies, by: \.kind).sorted(by: { $0.key < $1.key }) {
                print("  \(kind.rawValue): \(items.count)")
            }
            for line in result.diagnostics.prefix(20) { print("note: \(line)") }
            return try db.discrepancies(from: period.start, to: period.end).filter { $0.status == .open }
        }
        if let failOn, let threshold = Severity(rawValue: failOn), open.contains(where: { $0.discrepancy.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}
