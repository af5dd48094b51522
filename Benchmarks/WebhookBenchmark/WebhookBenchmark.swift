import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import Payments
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
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--events": index += 1; events = Int(arguments[index]) ?? events
            case "--concurrency": index += 1; concurrency = Int(arguments[index]) ?? concurrency
            case "--book": book = true
            default: print("usage: webhook-bench [--events N] [--concurrency C] [--book]"); exit(64)
            }
            index += 1
        }
        do { try await run(events: events, concurrency: concurrency, book: book) } catch {
            print("webhook-bench: \(error)")
            exit(2)
        }
    }

    static func run(events: Int, concurrency: Int, book: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = PaymentsConfiguration(
            listen: .init(host: "127.0.0.1", port: 0), database: directory.appendingPathComponent("bench.sqlite").path,
            documentsDirectory: directory.appendingPathComponent("documents").path, https: .init(mode: .proxy),
            stripe: .init(apiBase: "http://127.0.0.1:9"), seller: Seller(name: "Bench GmbH", address: ["Street 1"], taxId: nil),
            email: .init(smtpURL: "smtp://127.0.0.1:9", from: "bench@example.com"), supplierNotificationURL: "http://127.0.0.1:9/",
            outbox: .init(maxAttempts: 1, pollMilliseconds: 60_000))
        let secrets = PaymentsSecrets(apiKey: try APIKey("sk_test_bench"), webhookSecrets: [secret], apiToken: "bench-token-0123456789")
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let store = try PayreconStore(path: configuration.database, durability: .full)
        let service = try PaymentsService(configuration: configuration, secrets: secrets, store: store, logger: logger)
        if book { try fixture.registerQuotes(0..<events, in: store) }
        let server = try await RunningPaymentsServer.start(service: service, secrets: secrets, logger: logger)
        let url = "http://127.0.0.1:\(server.port)/webhooks/stripe"

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
        _ = try await post(client, url, body: bodies[0].0, signature: bodies[0].1)

        let clock = ContinuousClock()
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Duration] = []
                    var number = worker
                    while number < events {
                        let sent = clock.now
                        let status = try await post(client, url, body: bodies[number].0, signature: bodies[number].1)
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
        print("webhook-bench: \(events) events, \(concurrency) in flight, durable inbox (WAL, synchronous=FULL)\(book ? ", booking orders" : "")")
        print(String(format: "  acknowledged: %.0f events/s over %.2f s", Double(events) / seconds, seconds))
        print("  ack latency: p50 \(percentile(0.50)), p90 \(percentile(0.90)), p99 \(percentile(0.99)), max \(percentile(0.9999999))")
        let drainStart = clock.now
        while try store.webhookEventsToProcess(limit: 1, maxAttempts: 20).count > 0 { try await Task.sleep(for: .milliseconds(100)) }
        let processed = try store.webhookEvents().filter { $0.status == "processed" || $0.status == "ignored" }.count
        print("  processed in the background: \(processed) events; backlog drained \(drainStart.duration(to: clock.now)) after the last ack")
        print("  peak RSS: \(peakResidentMiB()) MiB")
        try await client.shutdown()
        await server.stop()
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

    static func peakResidentMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kib / 1024
    }
}

struct BenchError: Error, CustomStringConvertible { let message: String; var description: String { message } }
