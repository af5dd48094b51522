import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import Payments
import PaymentsPostgres
import PaymentsStore
import Store
import StripeAPI
import TestSupport

enum WebhookBenchmark {
    static let secret = "whsec_bench_secret"
    static let fixture = BookingFixture(prefix: "bench")

    static func main(_ arguments: [String]) async {
        var events = 20_000
        var concurrency = 32
        var book = false
        var postgres = false
        var replicas = 1
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--events": index += 1; events = Int(arguments[index]) ?? events
            case "--concurrency": index += 1; concurrency = Int(arguments[index]) ?? concurrency
            case "--book": book = true
            case "--postgres": postgres = true
            case "--replicas": index += 1; replicas = max(1, Int(arguments[index]) ?? replicas)
            default: print("usage: webhook-bench [--events N] [--concurrency C] [--book] [--postgres [--replicas R]]"); exit(64)
            }
            index += 1
        }
        do { try await run(events: events, concurrency: concurrency, book: book, postgres: postgres, replicas: postgres ? replicas : 1) } catch {
            print("webhook-bench: \(error)")
            exit(2)
        }
    }

    /// On SQLite one server; with `postgres`, `replicas` servers in this process, each with its own
    /// connection pool, on one PostgreSQL server of the bench's own (as the tests start it).
    static func run(events: Int, concurrency: Int, book: Bool, postgres: Bool, replicas: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = PaymentsConfiguration.offline(in: directory, database: "bench.sqlite", seller: "Bench GmbH")
        let secrets = PaymentsSecrets(apiKey: try APIKey("sk_test_bench"), webhookSecrets: [secret], apiToken: "bench-token-0123456789")
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let server = try postgres ? PostgresServer() : nil
        defer { server?.stop() }
        let url = try server?.freshDatabase().url
        var stores: [any PaymentsStore] = []
        for _ in 0..<replicas {
            stores.append(
                try url.map { try PostgresPaymentsStore(url: $0, variable: "BENCH_PAYMENTS_URL") }
                    ?? PayreconStore(path: configuration.database, durability: .full))
        }
        let store = stores[0]
        if book { try fixture.registerQuotes(0..<events, in: store) }
        var servers: [RunningPaymentsServer] = []
        for replica in stores {
            let service = try PaymentsService(configuration: configuration, secrets: secrets, store: replica, logger: logger)
            servers.append(try await RunningPaymentsServer.start(service: service, secrets: secrets, logger: logger))
        }
        let urls = servers.map { "http://127.0.0.1:\($0.port)/webhooks/stripe" }

        // Signed ahead of time: the client's work should not be what is measured.
        let now = Int64(Date().timeIntervalSince1970)
        let bodies: [(Data, String)] = (0..<events).map { number in
            let body = fixture.event(number, created: now)
            return (body, WebhookSignature.header(payload: body, secret: secret, timestamp: now))
        }
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        // Warm the connections and the server's caches.
        for url in urls { _ = try await post(client, url, body: bodies[0].0, signature: bodies[0].1) }

        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Duration] = []
                    var number = worker
                    while number < events {
                        let sent = clock.now
                        let status = try await post(client, urls[number % urls.count], body: bodies[number].0, signature: bodies[number].1)
                        guard status == 200 else { throw BenchError(message: "event \(number): HTTP \(status)") }
                        mine.append(sent.duration(to: clock.now))
                        number += concurrency
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }
        }.sorted()
        let elapsed = started.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percentile(_ p: Double) -> String {
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return String(format: "%.2f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
        }
        let inbox = postgres ? "PostgreSQL, \(replicas) replicas, synchronous_commit=on" : "SQLite WAL, synchronous=FULL"
        print("webhook-bench: \(events) events, \(concurrency) in flight, durable inbox (\(inbox))\(book ? ", booking orders" : "")")
        print(String(format: "  acknowledged: %.0f events/s over %.2f s", Double(events) / seconds, seconds))
        print("  ack latency: p50 \(percentile(0.50)), p90 \(percentile(0.90)), p99 \(percentile(0.99)), max \(percentile(0.9999999))")
        let drainStart = clock.now
        try await waitForEmptyInbox(store)
        let drained = started.duration(to: clock.now)
        let total = Double(drained.components.seconds) + Double(drained.components.attoseconds) / 1e18
        let processed = try store.webhookEvents().filter { $0.status == "processed" || $0.status == "ignored" }.count
        print("  processed in the background: \(processed) events; backlog drained \(drainStart.duration(to: clock.now)) after the last ack")
        print(String(format: "  processed: %.0f events/s (first post to empty inbox, %.2f s)", Double(processed) / total, total))
        if book {
            let orders = try (0..<events).filter { try store.order(OrderID("ord_Q-\($0)")) != nil }.count
            print(String(format: "  booked: %d orders, %.1f orders/s", orders, Double(orders) / total))
            let (render, parallel) = try renderFigures(store, seller: configuration.seller)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print(
                String(
                    format: "  one invoice renders in %.1f ms (median of 40); goal 80 %% × %d cores ÷ render = %.1f orders/s", render, cores,
                    0.8 * Double(cores) * 1000 / render))
            print(String(format: "  rendering alone on every core: %.1f invoices/s", parallel))
        }
        print("  peak RSS: \(peakResidentMiB()) MiB")
        try await client.shutdown()
        for server in servers { await server.stop() }
        for case let replica as PostgresPaymentsStore in stores { replica.shutdown() }
    }

    /// Returns once the inbox holds no event to process, asking every 20 ms from a queue (and thread)
    /// of its own: the SQLite store's reads wait for a commit's flush, and a thread of Swift's pool that
    /// waits is one the server being measured cannot render on.
    static func waitForEmptyInbox(_ store: any PaymentsStore) async throws {
        try await DispatchQueue(label: "webhook-bench.drain").run { () throws in
            while try !store.webhookEventsToProcess(limit: 1, maxAttempts: 20).isEmpty { usleep(20_000) }
        }
    }

    static func post(_ client: HTTPClient, _ url: String, body: Data, signature: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Stripe-Signature", value: signature)
        request.headers.add(name: "X-Forwarded-Proto", value: "https")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 65_536)
        return Int(response.status.code)
    }

    /// The median time to render the bench's invoice alone (what booking's goal is measured against),
    /// and how many render per second on every core at once with nothing else to do (the ceiling).
    static func renderFigures(_ store: any PaymentsStore, seller: Seller) throws -> (median: Double, parallel: Double) {
        guard let stored = try store.readPayments(at: Timestamp(seconds: 0), { try $0.quote(id: "Q-0") }) else { return (.nan, .nan) }
        let quote = try JSONDecoder().decode(Quote.self, from: Data(stored.quoteJSON.utf8))
        let document = try InvoiceDocument.invoice(
            number: "INV-000001", issueDate: "2026-12-01", seller: seller, quote: quote, orderId: stored.orderId, paymentIntent: "pi_bench_0")
        let renderer = InvoiceRenderer()
        let clock = ContinuousClock()
        func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        var times: [Double] = []
        for _ in 0..<40 {
            let start = clock.now
            _ = try renderer.render(document)
            times.append(milliseconds(start.duration(to: clock.now)))
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let start = clock.now
        DispatchQueue.concurrentPerform(iterations: cores) { _ in for _ in 0..<40 { _ = try? renderer.render(document) } }
        let parallel = Double(cores * 40) * 1000 / milliseconds(start.duration(to: clock.now))
        return (times.sorted()[times.count / 2], parallel)
    }

    static func peakResidentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }
}

struct BenchError: Error, CustomStringConvertible { let message: String; var description: String { message } }
