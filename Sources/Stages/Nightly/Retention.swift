import Core
import Foundation
import Logging

/// Removes what the nightly runs wrote that is older than the configured age: report folders
/// (`<report.out>/<FROM>_<TO>`), export folders and snapshot folders, judged by when each was last
/// written. Only folders payrecon names are touched: a report or export folder's name is two days and
/// an underscore, a snapshot's a run id, so nothing else an operator keeps there goes.
struct Retention {
    let configuration: NightlyConfiguration
    let now: Timestamp

    /// The folders removed.
    func apply(logger: Logger) -> [String] {
        var removed: [String] = []
        let period = /^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/
        let runId = /^\d+$/
        let targets: [(String?, Int?, Regex<Substring>)] = [
            (configuration.reportOut, configuration.retention.reportsDays, period),
            (configuration.exportOut, configuration.retention.exportsDays, period),
            (configuration.stripe.snapshotOut, configuration.retention.snapshotsDays, runId),
        ]
        for (root, days, names) in targets {
            guard let root, let days else { continue }
            let cutoff = Date(timeIntervalSince1970: TimeInterval(now.seconds - Int64(days) * 86_400))
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            for name in entries.sorted() where name.wholeMatch(of: names) != nil {
                let path = root + "/" + name
                guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff
                else { continue }
                do {
                    try FileManager.default.removeItem(atPath: path)
                    removed.append(path)
                } catch {
                    logger.warning("retention could not remove a folder", metadata: ["path": "\(path)", "error": "\(error)"])
                }
            }
        }
        return removed
    }
}
