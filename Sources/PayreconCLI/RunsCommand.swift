import ArgumentParser
import Stages
import Store

/// `payrecon runs`: the nightly runs, newest last.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List past nightly runs: when, period, outcome, counts, report folder.")

    @OptionGroup var source: ConfigOrStoreOptions
    @Flag(name: .long, help: "Every recorded run, each stage's too.")
    var all = false
    @Flag(name: .long, help: "JSON instead of a table.")
    var json = false

    func run() async throws {
        let path = try await source.store()
        try await failingWithExitCode2 {
            let entries = try RunHistory.entries(try PayreconStore(path: path, create: false), all: all)
            if json { print(try RunHistory.json(entries)); return }
            if entries.isEmpty { print("no runs recorded in \(path)") }
            for e in entries {
                let period = e.from.map { "\($0)..\(e.to ?? "?")" } ?? "-"
                let counts =
                    e.matches.map { "\($0) matches, \(e.discrepancies ?? 0) discrepancies, \(e.openAtOrAboveFailOn ?? 0) open at fail_on" } ?? ""
                let what = [e.outcome ?? e.status, counts, e.reportFolder ?? "", e.outcome == "failed" ? e.summary ?? "" : ""]
                    .filter { !$0.isEmpty }.joined(separator: "  ")
                print("\(e.id)  \(e.stage)  \(e.startedAt) → \(e.finishedAt ?? "running")  \(period)  \(what)")
            }
        }
    }
}
