import ArgumentParser
import Extract
import Stages
import Store
import StripeAPI

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Pull balance transactions, charges, refunds, disputes, payouts and payout links into the store.",
        discussion: "The API key is read from STRIPE_API_KEY (or the file named by STRIPE_API_KEY_FILE), never from the command line.")

    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "Stripe API base URL (a sandbox's http://127.0.0.1:PORT in tests).")
    var apiBase: String = "https://api.stripe.com"
    @Option(name: .long, help: "Requests in flight at once.")
    var concurrency: Int = 4
    @Flag(name: .long, help: "Ignore watermarks and pull everything.")
    var full = false
    @Option(name: .long, help: "Client-side request rate limit (default: Stripe's, 25/s test mode, 100/s live).")
    var requestsPerSecond: Double?

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            let key = try APIKey.fromEnvironment()
            let db = try PayreconStore(path: store.db)
            let summary = try await ExtractStage(runner: StageRunner(store: db))
                .run(apiBase: apiBase, key: key, options: .init(full: full, concurrency: concurrency), requestsPerSecond: requestsPerSecond)
            if summary.resumedPages > 0 { print("resumed an interrupted pull: \(summary.resumedPages) pages were already stored") }
            for (object, count) in summary.counts.sorted(by: { $0.key < $1.key }) { print("\(object): \(count)") }
            print("payouts linked: \(summary.payoutsLinked) (\(summary.links) transactions)")
            print(
                "requests: \(summary.requests) (list pages \(summary.pages) in \(summary.windows) windows, payout composition pages \(summary.compositionPages))"
            )
        }
    }
}
