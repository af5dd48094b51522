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
}
