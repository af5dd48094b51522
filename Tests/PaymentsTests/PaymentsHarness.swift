import AsyncHTTPClient
import Core
import Foundation
import HummingbirdTLS
import Logging
import NIOCore
import Payments
import PaymentsPostgres
import PaymentsStore
import Stages
import Store
import StripeAPI
import TestSupport

/// `payrecon serve` in-process on a free loopback port with everything it talks to running for
/// real: localstripe (or an address where nothing listens), an SMTP sink, a notification receiver.
final class PaymentsHarness: @unchecked Sendable {
    static let webhookSecret = "whsec_test_payrecon_harness"
    static let token = "test-backend-token-0123456789"
    static let apiKey = "sk_test_payrecon_harness"
    static let publishableKey = "pk_test_payrecon_checkout"
    static let checkoutSecret = "checkout-link-secret-0123456789abcdef"

    let directory: URL
    let localstripe: HelperProcess?
    let smtp: HelperProcess
    let receiver: HelperProcess
    let service: PaymentsService
    /// The SQLite store (the nightly run's; the payments tables too unless on PostgreSQL).
    let store: PayreconStore
    /// Where the payments tables are: `store`, or PostgreSQL's.
    let payments: any PaymentsStore
    private let postgres: PostgresPaymentsStore?
    /// The PostgreSQL database of the payments tables, when they are there.
    let postgresURL: String?
    let port: Int
    let scheme: String
    let http: HTTPClient
    private let server: RunningPaymentsServer

    var mailDirectory: URL { directory.appendingPathComponent("mail") }
    var notificationDirectory: URL { directory.appendingPathComponent("notifications") }
    var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    /// - tls: serve HTTPS with a fresh self-signed certificate (localstripe trusts it through SSL_CERT_FILE);
    ///   otherwise proxy mode, where requests must say X-Forwarded-Proto: https.
    /// - withLocalstripe: start it and register our webhook endpoint; otherwise Stripe is an unreachable port.
    init(
        tls: Bool, withLocalstripe: Bool, failingNotifications: Int = 0, logHandler: (any LogHandler)? = nil,
        breakerThreshold: Int = 5, checkout: Bool = false, stripeIsTheRecorder: Bool = false, namedTokens: [String: String] = [:],
        postgresURL: String? = nil
    ) async throws {
        directory = TestScratch.directory.appendingPathComponent("payments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var certificate: String?
        var key: String?
        if tls {
            certificate = directory.appendingPathComponent("cert.pem").path
            key = directory.appendingPathComponent("key.pem").path
            try Self.makeCertificate(certificate: certificate!, key: key!)
        }
        localstripe =
            withLocalstripe
            ? try HelperProcess(
                script: "localstripe_server.py",
                environment: certificate.map { ["SSL_CERT_FILE": $0] } ?? [:]) : nil
        // With TLS, the SMTP sink offers STARTTLS with the same certificate and refuses mail without it.
        smtp = try HelperProcess(
            script: "smtp_sink.py", arguments: [directory.appendingPathComponent("mail").path] + [certificate, key].compactMap { $0 })
        receiver = try HelperProcess(
            script: "http_receiver.py",
            arguments: [directory.appendingPathComponent("notifications").path, String(failingNotifications)])
        // As the recorder, "Stripe" is the HTTP receiver: it keeps what the client sends, with the Dashboard's
        // automatic payment methods (no payment_method_types), and answers nothing a client could use.
        var stripe = PaymentsConfiguration.Stripe(
            apiBase: stripeIsTheRecorder ? receiver.baseURL : localstripe?.baseURL ?? "http://127.0.0.1:9",
            paymentMethodTypes: stripeIsTheRecorder ? nil : ["card"])
        stripe.breakerFailureThreshold = breakerThreshold
        var configuration = PaymentsConfiguration(
            listen: .init(host: "127.0.0.1", port: 0), database: directory.appendingPathComponent("payrecon.sqlite").path,
            documentsDirectory: directory.appendingPathComponent("documents").path, timeZone: "Europe/Berlin",
            https: tls ? .init(mode: .tls, certificate: certificate, privateKey: key) : .init(mode: .proxy), maxBodyBytes: 16_384,
            stripe: stripe, seller: Seller(name: "Marketplace GmbH", address: ["Hauptstraße 1", "10115 Berlin"], taxId: "DE123456789"),
            email: .init(
                smtpURL: "smtp://127.0.0.1:\(smtp.port)", from: "Marketplace Invoices <invoices@marketplace.example>",
                requireTLS: tls, caFile: certificate),
            supplierNotificationURL: "\(receiver.baseURL)/suppliers/notify",
            outbox: .init(maxAttempts: 5, baseDelayMilliseconds: 50, maxDelayMilliseconds: 200, pollMilliseconds: 50))
        if checkout { configuration.checkout = .init(publishableKey: Self.publishableKey, publicURL: "https://pay.marketplace.invalid") }
        configuration.apiTokens = namedTokens.sorted { $0.key < $1.key }.map { APITokens.Named(name: $0.key, sha256: APITokens.hash($0.value)) }
        let secrets = PaymentsSecrets(
            apiKey: try APIKey(Self.apiKey), webhookSecrets: ["whsec_test_old_secret", Self.webhookSecret],
            apiToken: Self.token, checkoutSecret: checkout ? Self.checkoutSecret : nil)
        let logger = Logger(label: "payments-test") { _ in logHandler ?? SwiftLogNoOpLogHandler() }
        store = try PayreconStore(path: configuration.database, durability: .full)
        self.postgresURL = postgresURL
        postgres = try postgresURL.map { try PostgresPaymentsStore(url: $0, variable: "TEST_PAYMENTS_URL") }
        payments = postgres ?? store
        service = try PaymentsService(
            configuration: configuration, secrets: secrets, store: payments, logger: logger,
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), rateLimitPatience: .seconds(1)))
        server = try await RunningPaymentsServer.start(service: service, secrets: secrets, logger: logger)
        port = server.port
        scheme = tls ? "https" : "http"
        var clientConfiguration = HTTPClient.Configuration()
        if let certificate {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
            clientConfiguration.tlsConfiguration = tlsConfiguration
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        if let localstripe {
            _ = try await send("DELETE", "\(localstripe.baseURL)/_config/data", headers: [:])
            _ = try await send(
                "POST", "\(localstripe.baseURL)/_config/webhooks/payrecon", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: FormEncoding.body([("url", "\(baseURL)/webhooks/stripe"), ("secret", Self.webhookSecret)]))
        }
    }

    func stop() async {
        await server.stop()
        postgres?.shutdown()
        try? await http.shutdown()
        localstripe?.stop()
        smtp.stop()
        receiver.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A request to our server as the marketplace backend makes it (bearer token; through the proxy in proxy mode).
    func backend(_ method: String, _ path: String, json: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var all = ["Authorization": "Bearer \(Self.token)", "Content-Type": "application/json"].merging(headers) { $1 }
        if scheme == "http" { all["X-Forwarded-Proto"] = all["X-Forwarded-Proto"] ?? "https" }
        return try await send(method, baseURL + path, headers: all, body: json)
    }

    /// A webhook delivery as Stripe makes it.
    func deliver(_ payload: Data, signature: String?) async throws -> Reply {
        var headers = ["Content-Type": "application/json"]
        if let signature { headers["Stripe-Signature"] = signature }
        if scheme == "http" { headers["X-Forwarded-Proto"] = "https" }
        return try await send("POST", baseURL + "/webhooks/stripe", headers: headers, body: payload)
    }

    func send(_ method: String, _ url: String, headers: [String: String], body: String? = nil) async throws -> Reply {
        try await send(method, url, headers: headers, body: body.map { Data($0.utf8) })
    }

    func send(_ method: String, _ url: String, headers: [String: String], body: Data?) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 16 * 1024 * 1024)
        var map: [String: String] = [:]
        for header in response.headers { map[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: map, body: Data(data.readableBytesView))
    }

    /// Waits until `condition` holds, polling; false after `seconds`.
    func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    func files(in directory: URL, suffix: String) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.lastPathComponent.hasSuffix(suffix) }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func makeCertificate(certificate: String, key: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    static let quoteJSON = """
        {"status": "approved", "currency": "EUR", "tax_rate_bps": 1900,
         "buyer": {"id": "B-7", "name": "Zoë Müller GmbH", "email": "zoe@buyer.example", "address": "Königstraße 5, Stuttgart"},
         "supplier": {"id": "S-3", "name": "Łódź Tools"},
         "lines": [{"description": "Crème brûlée torch", "quantity": 3, "unit_price": "19.99"},
                   {"description": "Gas refill €-pack", "quantity": 1, "unit_price": "5.00"}],
         "amount": 1}
        """
}
