import Core
import Extract
import Logging
import Store
import StripeAPI

/// Pulls the Stripe account into the store, as one recorded run.
public struct ExtractStage {
    public let runner: StageRunner
    public let logger: Logger

    public init(runner: StageRunner, logger: Logger = Logger(label: "payrecon")) { self.runner = runner; self.logger = logger }

    public func run(apiBase: String, key: APIKey, options: StripeExtractor.Options, requestsPerSecond: Double?) async throws
        -> StripeExtractor.Summary
    {
        let client = StripeClient(baseURL: apiBase, apiKey: key, requestsPerSecond: requestsPerSecond, logger: logger)
        let extractor = StripeExtractor(client: client, store: runner.store, logger: logger)
        return try await runner.run("extract", parameters: "api_base=\(apiBase) full=\(options.full)") { _ in
            let summary = try await extractor.run(options, now: runner.clock())
            return .init(summary, summary: "\(summary.counts.sorted { $0.key < $1.key })")
        }
    }

    /// Loads a snapshot folder (`extract --snapshot-out`) instead of calling Stripe, as one recorded run.
    public func load(snapshot folder: String) throws -> SnapshotLoader.Summary {
        try runner.run("extract", parameters: "from_snapshot=\(folder)") { _ in
            let summary = try SnapshotLoader(store: runner.store).load(folder, now: runner.clock())
            return .init(summary, summary: "from snapshot \(summary.counts.sorted { $0.key < $1.key })")
        }
    }
}
