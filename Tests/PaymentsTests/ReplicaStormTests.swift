import AsyncHTTPClient
import Core
import Foundation
import NIOCore
import PaymentsPostgres
import PaymentsStore
import StripeAPI
import TestSupport
import Testing

/// Two `payrecon serve` processes on one PostgreSQL, as behind a load balancer: every event of a
/// storm delivered five times, spread over both, one replica killed with SIGKILL halfway and started
/// again. A delivery that fails is sent again to a replica that answers, as Stripe retries.
@Suite(.serialized) struct ReplicaStormTests {
    static let secret = "whsec_replica_storm_secret"
    static let fixture = BookingFixture(prefix: "storm")
    let events = 1_000
    let deliveriesPerEvent = 5

    @Test func twoReplicasBookEveryPaymentOnceThroughAKilledReplica() async throws {
        let postgres = try PostgresServer()
        defer { postgres.stop() }
        let (url, database) = try postgres.freshDatabase()
        let folder = TestScratch.directory.appendingPathComponent("replicas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mail = folder.appendingPathComponent("mail")
        let notifications = folder.appendingPathComponent("notifications")
        let smtp = try HelperProcess(script: "smtp_sink.py", arguments: [mail.path])
        let receiver = try HelperProcess(script: "http_receiver.py", arguments: [notifications.path])
        defer { smtp.stop(); receiver.stop() }
        let setup = try PostgresPaymentsStore(url: url, variable: "PAYMENTS_DATABASE_URL")
        try Self.fixture.registerQuotes(0..<events, in: setup)
        setup.shutdown()

        // Both replicas share the documents folder, as replicas on several machines share a volume.
        let config = folder.appendingPathComponent("serve.json").path
        try Data(
            """
            {"listen": {"host": "127.0.0.1", "port": 0}, "postgres_url_env": "PAYMENTS_DATABASE_URL",
             "documents_directory": "\(folder.path)/documents", "https": {"mode": "proxy"}, "stripe": {"api_base": "http://127.0.0.1:9"},
             "seller": {"name": "Marketplace GmbH", "address": ["Hauptstraße 1"]},
             "email": {"smtp_url": "smtp://127.0.0.1:\(smtp.port)", "from": "invoices@marketplace.example"},
             "supplier_notification_url": "\(receiver.baseURL)/notify", "outbox": {"poll_ms": 100, "base_delay_ms": 100}}
            """.utf8
        ).write(to: URL(fileURLWithPath: config))
        let replicas = Replicas(
            arguments: ["serve", "--config", config],
            environment: [
                "STRIPE_API_KEY": "sk_test_replica_storm", "STRIPE_WEBHOOK_SECRET": Self.secret,
                "PAYRECON_API_TOKEN": "replica-storm-token-0123456789", "PAYMENTS_DATABASE_URL": url,
                // Under `swift test --enable-code-coverage` the binary writes a profile as it exits; a replica killed
                // or stopped mid-storm can leave one that llvm-profdata cannot merge, so theirs stay out of the report.
                "LLVM_PROFILE_FILE": folder.appendingPathComponent("replica-%p.profraw").path,
            ])
        try replicas.start(0)
        try replicas.start(1)
        defer { replicas.stopAll() }

        // 5,000 deliveries: five rounds over all events, each round in another order.
        let now = Int64(Date().timeIntervalSince1970)
        let deliveries = Self.rounds(events: events, count: deliveriesPerEvent)
        let http = HTTPClient.shared
        let acknowledged = Locked<Int>(0)
        let sent = Locked<Int>(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var index = worker
                    while index < deliveries.count {
                        let number = deliveries[index]
                        let body = Self.fixture.event(number, created: now)
                        let signature = WebhookSignature.header(payload: body, secret: Self.secret, timestamp: Int64(Date().timeIntervalSince1970))
                        var attempt = 0
                        while true {
                            // Spread over both; a replica that is down or does not answer 200 is retried on the other.
                            let port = replicas.port(preferring: (index + attempt) % 2)
                            if let port, try await Self.deliver(http, port: port, body: body, signature: signature) == 200 { break }
                            attempt += 1
                            guard attempt < 200 else { throw StormError(message: "event \(number) was never acknowledged") }
                            try await Task.sleep(for: .milliseconds(50))
                        }
                        acknowledged.mutate { $0 += 1 }
                        sent.mutate { $0 += 1 }
                        index += 16
                    }
                }
            }
            // Halfway: replica 0 is killed outright, and started again a second later.
            group.addTask {
                while sent.value < deliveries.count * 2 / 5 { try await Task.sleep(for: .milliseconds(20)) }
                replicas.kill(0)
                try await Task.sleep(for: .seconds(1))
                try replicas.start(0)
            }
            try await group.waitForAll()
        }
        #expect(acknowledged.value == deliveries.count)
        #expect(replicas.starts == 3, "replica 0 was not killed and started again")

        // Everything is processed and delivered; the killed replica's leases run out after 30 and 60 s.
        func count(_ sql: String) throws -> Int {
            Int(try postgres.psql(sql, database: database).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            if try count("SELECT count(*) FROM outbox WHERE status = 'delivered'") == 2 * events,
                try count("SELECT count(*) FROM webhook_event WHERE status = 'processed'") == events
            {
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(try count("SELECT count(*) FROM webhook_event WHERE status = 'processed'") == events)
        #expect(
            try count("SELECT count(*) FROM webhook_event e LEFT JOIN webhook_redelivery r USING (event_id) WHERE 1 + COALESCE(r.count, 0) < 5") == 0)
        // Exactly one order per PaymentIntent, one ledger entry each, invoices numbered 1…1000 with no gap.
        #expect(try count("SELECT count(DISTINCT payment_intent_id) FROM payment_order") == events)
        #expect(try count("SELECT count(*) FROM payment_order") == events)
        #expect(try count("SELECT count(*) FROM ledger_entry WHERE type = 'payment'") == events)
        let numbers = try postgres.psql("SELECT invoice_number FROM payment_order ORDER BY invoice_number", database: database)
            .split(separator: "\n").map(String.init)
        #expect(numbers == (1...events).map { DocumentRecord.Kind.invoice.number(Int64($0)) })
        let documents = try postgres.psql("SELECT path FROM document", database: database).split(separator: "\n")
        #expect(documents.count == events)
        #expect(documents.allSatisfy { FileManager.default.fileExists(atPath: String($0)) })

        // Every email and notification went out; the only repeat possible is the one send in flight when the
        // replica died (SMTP has no way to ask whether a message arrived), and it carries the same Message-ID.
        let emails = try Self.files(mail, ".eml").map { try String(contentsOf: $0, encoding: .utf8) }
        let messageIds = emails.compactMap { $0.firstMatch(of: /Message-ID: <([^>]+)>/).map { String($0.1) } }
        #expect(messageIds.count == emails.count)
        // Each order's invoice email, under its own number: Message-ID <INV-….ord_Q-…@payrecon>.
        let expected = try postgres.psql("SELECT invoice_number || '.' || order_id || '@payrecon' FROM payment_order", database: database)
        #expect(Set(messageIds) == Set(expected.split(separator: "\n").map(String.init)))
        #expect(Set(messageIds).count == events)
        let keys = try Self.files(notifications, ".json").map { file -> String in
            let record = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            return (record?["headers"] as? [String: String])?["Idempotency-Key"] ?? ""
        }
        #expect(Set(keys).count == events)
        let repeats = (emails.count - Set(messageIds).count) + (keys.count - Set(keys).count)
        #expect(repeats <= 1, "\(repeats) emails or notifications sent twice")
        // A graceful stop closes the database connections and exits 0.
        #expect(replicas.stopAll() == [0, 0])
    }

    /// Every event once per round, each round in another order (n × k + 7r mod events, k coprime with 1,000).
    static func rounds(events: Int, count: Int) -> [Int] {
        let multipliers = [1, 3, 7, 9, 11, 13, 17, 19]
        var all: [Int] = []
        for round in 0..<count {
            let multiplier = multipliers[round % multipliers.count]
            for number in 0..<events { all.append((number * multiplier + round * 7) % events) }
        }
        return all
    }

    static func deliver(_ http: HTTPClient, port: Int, body: Data, signature: String) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhooks/stripe")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Stripe-Signature", value: signature)
        request.headers.add(name: "X-Forwarded-Proto", value: "https")
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 65_536)
            return Int(response.status.code)
        } catch {
            return 0
        }
    }

    static func files(_ folder: URL, _ suffix: String) throws -> [URL] {
        (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil))?.filter { $0.lastPathComponent.hasSuffix(suffix) }
            ?? []
    }
}

/// The replicas of one test: started, killed and started again by index; `port` gives a live one.
final class Replicas: @unchecked Sendable {
    private let arguments: [String]
    private let environment: [String: String]
    private let lock = NSLock()
    private var processes: [Int: (process: Process, port: Int)] = [:]
    private var started = 0
    /// How many times a replica was started.
    var starts: Int { lock.withLock { started } }

    init(arguments: [String], environment: [String: String]) {
        self.arguments = arguments
        self.environment = environment
    }

    func start(_ index: Int) throws {
        let started = try PayreconBinary.startServer(arguments, environment: environment)
        lock.withLock {
            processes[index] = started
            self.started += 1
        }
    }

    func kill(_ index: Int) {
        guard let running = lock.withLock({ processes.removeValue(forKey: index) }) else { return }
        Foundation.kill(running.process.processIdentifier, SIGKILL)
        running.process.waitUntilExit()
    }

    /// The preferred replica's port when it runs, else another's; nil when none runs.
    func port(preferring index: Int) -> Int? {
        lock.withLock { processes[index]?.port ?? processes.values.first?.port }
    }

    /// Stops every replica with SIGTERM, as an orchestrator does; their exit statuses.
    @discardableResult
    func stopAll() -> [Int32] {
        let all = lock.withLock { processes.values.map(\.process) }
        for process in all where process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return all.map(\.terminationStatus)
    }
}

struct StormError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
