import ArgumentParser
import Stages
import Store

/// `payrecon status`: the last run and what is open.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The last nightly run, how long ago it ended, and open discrepancies by kind and age.")

    @OptionGroup var source: ConfigOrStoreOptions
    @Flag(name: .long, help: "JSON instead of text.")
    var json = false

    func run() async throws {
        let path = try await source.store()
        try await failingWithExitCode2 {
            let status = try RunHistory.status(try PayreconStore(path: path, create: false), now: StageClock.now())
            if json { print(try RunHistory.json(status)); return }
            if let last = status.lastRun {
                let ago = status.lastRunEndedSecondsAgo.map { "ended \(Self.duration($0)) ago" } ?? "still running"
                print("last run: \(last.id), \(last.from ?? "?")..\(last.to ?? "?"), \(last.outcome ?? last.status), \(ago)")
            } else {
                print("last run: none recorded")
            }
            print(
                "last success: "
                    + (status.lastSuccess.map { "\($0.id), \($0.from ?? "?")..\($0.to ?? "?"), ended \($0.finishedAt ?? "?")" } ?? "none"))
            print("open discrepancies: \(status.open)")
            for (kind, ages) in status.openByKindAndAge.sorted(by: { $0.key < $1.key }) {
                let text = RunHistory.ageBuckets.compactMap { bucket in ages[bucket].map { "\($0) \(bucket)" } }.joined(separator: ", ")
                print("  \(kind): \(ages.values.reduce(0, +)) (\(text))")
            }
        }
    }

    static func duration(_ seconds: Int64) -> String {
        seconds < 120
            ? "\(seconds) s" : seconds < 7_200 ? "\(seconds / 60) min" : seconds < 172_800 ? "\(seconds / 3_600) h" : "\(seconds / 86_400) days"
    }
}
