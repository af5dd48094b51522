import Core
import Foundation
import Report
import Store

/// Writes a period's report files, as one recorded run.
public struct ReportStage {
    public let runner: StageRunner

    public init(runner: StageRunner) { self.runner = runner }

    public func run(period: ReportingPeriod, out: String, formats: Set<ReportWriter.Format>) throws -> [URL] {
        let formatList = formats.map(\.rawValue).sorted().joined(separator: ",")
        return try runner.run("report", parameters: "period=\(period) out=\(out) format=\(formatList)") { _ in
            let book = try ReportBuilder(store: runner.store, period: period, now: runner.clock()).book()
            let written = try ReportWriter.write(book, to: URL(fileURLWithPath: out), formats: formats)
            return .init(written.files, summary: "files=\(written.files.count) matched=\(written.rows["Matched"] ?? 0)")
        }
    }
}
