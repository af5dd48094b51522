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
    @Option(name: .long, help: "Also write every object as Stripe returned it, and a manifest, into this folder.")
    var snapshotOut: String?
    @Option(name: .long, help: "Load a folder --snapshot-out wrote instead of calling Stripe (no key needed).")
    var fromSnapshot: String?

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if fromSnapshot != nil, snapshotOut != nil { throw ValidationError("--from-snapshot and --snapshot-out do not go together") }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            if let fromSnapshot {
                let loaded = try ExtractStage(runner: StageRunner(store: try PayreconStore(path: store.db))).load(snapshot: fromSnapshot)
                for (object, count) in loaded.counts.sorted(by: { $0.key < $1.key }) { print("\(object): \(count)") }
                print("payout links: \(loaded.links) (from \(fromSnapshot))")
                return
            }
            let key = try APIKey.fromEnvironment()
            let db = try PayreconStore(path: store.db)
            let summary = try await ExtractStage(runner: StageRunner(store: db))
                .run(
                    apiBase: apiBase, key: key, options: .init(full: full, concurrency: concurrency, snapshotOut: snapshotOut),
                    requestsPerSecond: requestsPerSecond)
            if summary.resumedPages > 0 { print("resumed an interrupted pull: \(summary.resumedPages) pages were already stored") }
            for (object, count) in summary.counts.sorted(by: { $0.key < $1.key }) { print("\(object): \(count)") }
            print("payouts linked: \(summary.payoutsLinked) (\(summary.links) transactions)")
            print(
                "requests: \(summary.requests) (list pages \(summary.pages) in \(summary.windows) windows, payout composition pages \(summary.compositionPages))"
            )
        }
    }
}
