import Core
import Foundation
import Prometheus
import Store

/// The nightly run's metrics in Prometheus' text format, for node_exporter's textfile collector: the
/// run's and each stage's duration, its counts, open discrepancies by kind, and the time of the last
/// successful run, so that an alert fires when the job did not run (`time() -
/// payrecon_last_success_timestamp_seconds > 26 * 3600`). Written to a temporary file and renamed,
/// so the collector never reads half a file.
struct RunMetricsFile {
    let path: String

    func write(_ outcome: NightlyOutcome, store: PayreconStore, now: Timestamp) throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(name: "payrecon_run_duration_seconds", help: "How long the last nightly run took.").set(outcome.seconds)
        registry.makeGauge(name: "payrecon_run_exit_code", help: "0 clean, 1 discrepancies at or above fail_on, 2 failed.")
            .set(Int64(outcome.exitCode))
        registry.makeGauge(name: "payrecon_run_success", help: "1 when the last run's stages all succeeded.")
            .set(Int64(outcome.status == .failed ? 0 : 1))
        registry.makeGauge(name: "payrecon_last_run_timestamp_seconds", help: "When the last run ended (Unix time).")
            .set(Double(now.seconds))
        let successes = try store.runs().filter { $0.stage == "nightly" && $0.status == "succeeded" }
        if let last = successes.last?.finishedAt {
            registry.makeGauge(name: "payrecon_last_success_timestamp_seconds", help: "When the last successful run ended (Unix time).")
                .set(Double(last.seconds))
        }
        for stage in outcome.stages {
            registry.makeGauge(
                name: "payrecon_stage_duration_seconds", labels: [("stage", stage.name)], help: "How long each stage of the last run took."
            )
            .set(stage.seconds)
        }
        let counts: [(String, Int?)] = [("matches", outcome.matches), ("discrepancies", outcome.discrepancies), ("pending", outcome.pending)]
        for (name, value) in counts {
            guard let value else { continue }
            registry.makeGauge(name: "payrecon_run_\(name)", help: "The last run's \(name) in its period.").set(Int64(value))
        }
        for (kind, count) in outcome.openByKind.sorted(by: { $0.key < $1.key }) {
            registry.makeGauge(
                name: "payrecon_open_discrepancies", labels: [("kind", kind)], help: "Open discrepancies of the last run's period by kind."
            ).set(Int64(count))
        }
        let partial = path + ".partial"
        try Data(registry.emitToString().utf8).write(to: URL(fileURLWithPath: partial))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }
}
