import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import Payments
import TestSupport
import Testing

/// What a hostile test found (issue 18): a chunked body past the limit, TLS 1.0 and 1.1, a card number
/// typed into a webhook's free text; and the access log an engineer on call reads.
@Suite(.serialized) struct HostileRequestTests {
    /// A body sent chunked (no Content-Length), in pieces, as a client that does not say its size would.
    static func chunked(_ harness: PaymentsHarness, _ path: String, headers: [String: String], size: Int) async throws -> Int {
        var request = HTTPClientRequest(url: harness.baseURL + path)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let pieces = AsyncStream<ByteBuffer> { continuation in
            for _ in 0..<(size / 4_096) { continuation.yield(ByteBuffer(repeating: UInt8(ascii: "x"), count: 4_096)) }
            continuation.finish()
        }
        request.body = .stream(pieces, length: .unknown)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    @Test func aChunkedBodyPastTheLimitIs413AndEveryRequestIsLoggedOnce() async throws {
        let log = CapturedLog()
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false, logHandler: CapturingLogHandler(log: log))
        do {
            let proxy = ["X-Forwarded-Proto": "https", "Content-Type": "application/json"]
            #expect(
                try await Self.chunked(harness, "/webhooks/stripe", headers: proxy.merging(["Stripe-Signature": "t=1,v1=00"]) { $1 }, size: 65_536)
                    == 413)
            let backend = proxy.merging(["Authorization": "Bearer \(PaymentsHarness.token)", "X-Request-Id": "req-4711"]) { $1 }
            #expect(try await Self.chunked(harness, "/quotes/Q-1/payment-intent", headers: backend, size: 65_536) == 413)
            // Under the limit, chunked is fine: the handler sees the body (and refuses it as JSON).
            #expect(try await Self.chunked(harness, "/quotes/Q-1/payment-intent", headers: backend, size: 8_192) == 400)
            let health = try await harness.send("GET", harness.baseURL + "/health", headers: proxy)
            #expect(health.status == 200 && health.headers["x-request-id"]?.isEmpty == false)
            let lines = log.all.split(separator: "\n").filter { $0.contains(" request [") }
            #expect(lines.count == 4, "\(log.all)")
            // Values print unquoted: `"http.status": 413`.
            let refused = lines.first { $0.contains("req-4711") && $0.contains("\"http.status\": 413") }
            #expect(refused?.hasPrefix("warning request") == true, "\(lines)")
            #expect(refused?.contains("\"http.route\": /quotes/{id}/payment-intent") == true, "\(lines)")
            #expect(refused?.contains("\"actor\": backend") == true && refused?.contains("duration_ms") == true)
            #expect(lines.contains { $0.contains("\"actor\": stripe") && $0.contains("/webhooks/stripe") })
            #expect(lines.contains { $0.hasPrefix("info request") && $0.contains("\"http.status\": 200") && $0.contains("\"actor\": anonymous") })
            #expect(!log.all.contains("xxxxxxxx"), "a body reached the log")
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func aCardNumberInAWebhooksFreeTextIsStoredMasked() async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false)
        do {
            let now = Int64(Date().timeIntervalSince1970)
            let payload = Data(
                """
                {"id": "evt_masked", "object": "event", "type": "charge.updated", "created": \(now), "livemode": false,
                 "data": {"object": {"id": "ch_masked", "object": "charge", "billing_details": {"name": "J Doe 4242 4242 4242 4242"}}}}
                """.utf8)
            let signature = "t=\(now),v1=" + (try StripeSDK.signature(payload: payload, secret: PaymentsHarness.webhookSecret, timestamp: now))
            #expect(try await harness.deliver(payload, signature: signature).status == 200)
            let stored =
                String(decoding: try #require(FileManager.default.contents(atPath: harness.store.path)), as: UTF8.self)
                + String(decoding: FileManager.default.contents(atPath: harness.store.path + "-wal") ?? Data(), as: UTF8.self)
            #expect(stored.contains("evt_masked"))
            #expect(stored.contains("J Doe **** **** **** 4242"))
            #expect(!stored.contains("4242 4242 4242 4242"))
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    /// `openssl s_client` with each protocol version forced (and, for the old ones, its own security level
    /// lowered, so that the client would speak them): only 1.2 and 1.3 connect.
    @Test func nativeTLSSpeaksOnly12And13() async throws {
        let harness = try await PaymentsHarness(tls: true, withLocalstripe: false)
        do {
            func handshake(_ version: String) throws -> Bool {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments =
                    ["openssl", "s_client", "-connect", "127.0.0.1:\(harness.port)", version, "-servername", "localhost"]
                    + (["-tls1", "-tls1_1"].contains(version) ? ["-cipher", "DEFAULT:@SECLEVEL=0"] : [])
                let input = Pipe()
                process.standardInput = input
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                input.fileHandleForWriting.closeFile()
                process.waitUntilExit()
                return process.terminationStatus == 0
            }
            #expect(try handshake("-tls1_2"))
            #expect(try handshake("-tls1_3"))
            #expect(try !handshake("-tls1_1"))
            #expect(try !handshake("-tls1"))
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }
}
