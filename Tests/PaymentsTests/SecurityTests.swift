import Core
import Foundation
import Logging
import Payments
import PaymentsStore
import Stages
import Store
import TestSupport
import Testing

/// Collects every log line a handler is given, as the terminal would show it.
final class CapturedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        log.append("\(event.level) \(event.message) \(event.metadata ?? [:])")
    }
}

@Suite(.serialized) struct SecurityTests {
    static let card = "4242 4242 4242 4242"
    static let otherCard = "4000056655665556"

    @Test func cardNumbersAreMaskedInLogsAndNeverReachTheStore() async throws {
        let log = CapturedLog()
        // Stripe is unreachable here: the quote is stored, the call fails, the error is logged.
        let harness = try await PaymentsHarness(
            tls: false, withLocalstripe: false,
            logHandler: ScrubbingLogHandler(CapturingLogHandler(log: log)))
        do {
            let quote = PaymentsHarness.quoteJSON
                .replacingOccurrences(of: "Crème brûlée torch", with: "Torch, pay with card \(Self.card) exp 12/29")
                .replacingOccurrences(of: "Łódź Tools", with: "Tools \(Self.otherCard)")
            let reply = try await harness.backend("POST", "/quotes/Q-2002/payment-intent", json: quote)
            #expect(reply.status == 503)
            #expect(!reply.text.contains("4242 4242"))
            Logger(label: "test") { _ in ScrubbingLogHandler(CapturingLogHandler(log: log)) }
                .error("customer wrote \(Self.card) in a chat", metadata: ["note": "card \(Self.otherCard)"])

            let stored =
                String(decoding: try #require(FileManager.default.contents(atPath: harness.store.path)), as: UTF8.self)
                + String(decoding: FileManager.default.contents(atPath: harness.store.path + "-wal") ?? Data(), as: UTF8.self)
            #expect(stored.contains("Q-2002"), "the quote should be stored")
            #expect(stored.contains("**** **** **** 4242"))
            for digits in [Self.card, Self.card.replacingOccurrences(of: " ", with: ""), Self.otherCard] {
                #expect(!stored.contains(digits), "store holds \(digits)")
                #expect(!log.all.contains(digits), "log holds \(digits)")
            }
            #expect(log.all.contains("customer wrote **** **** **** 4242 in a chat"))
            #expect(log.all.contains("************5556"))
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func maskKeepsOrdinaryNumbersAndCatchesGroupedCards() {
        #expect(CardNumberMask.mask("order 12345, invoice INV-000001") == "order 12345, invoice INV-000001")
        #expect(CardNumberMask.mask("4111-1111-1111-1111") == "****-****-****-1111")
        #expect(CardNumberMask.mask("x378282246310005y") == "x***********0005y")
        // Luhn-invalid 16 digits stay: they are not card numbers (a phone number, an id).
        #expect(CardNumberMask.mask("4242424242424241") == "4242424242424241")
        // Too long to be a card: 20 digits.
        #expect(CardNumberMask.mask("42424242424242424242") == "42424242424242424242")
    }

    @Test func plainHTTPBehindTheProxyIsRefusedAndEveryAnswerCarriesHSTS() async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false)
        do {
            let plain = try await harness.backend(
                "POST", "/quotes/Q-1/payment-intent", json: PaymentsHarness.quoteJSON,
                headers: ["X-Forwarded-Proto": "http"])
            #expect(plain.status == 403)
            #expect(plain.headers["strict-transport-security"]?.contains("max-age=") == true)
            let webhook = try await harness.send("POST", harness.baseURL + "/webhooks/stripe", headers: [:], body: "{}")
            #expect(webhook.status == 403)

            let anonymous = try await harness.send(
                "POST", harness.baseURL + "/quotes/Q-1/payment-intent",
                headers: ["X-Forwarded-Proto": "https"], body: PaymentsHarness.quoteJSON)
            #expect(anonymous.status == 401)
            let wrong = try await harness.backend("GET", "/orders/ord_x", headers: ["Authorization": "Bearer not-the-token-at-all"])
            #expect(wrong.status == 401)

            let huge = "{\"status\": \"approved\", \"padding\": \"" + String(repeating: "x", count: 20_000) + "\"}"
            let tooLarge = try await harness.backend("POST", "/quotes/Q-1/payment-intent", json: huge)
            #expect(tooLarge.status == 413)
            let hugeWebhook = try await harness.deliver(Data(huge.utf8), signature: "t=1,v1=00")
            #expect(hugeWebhook.status == 413)

            let unapproved = try await harness.backend(
                "POST", "/quotes/Q-1/payment-intent",
                json: PaymentsHarness.quoteJSON.replacingOccurrences(of: "\"approved\"", with: "\"draft\""))
            #expect(unapproved.status == 422)
            #expect(unapproved.text.contains("status"))
            let badPrice = try await harness.backend(
                "POST", "/quotes/Q-1/payment-intent",
                json: PaymentsHarness.quoteJSON.replacingOccurrences(of: "\"19.99\"", with: "\"19.999\""))
            #expect(badPrice.status == 422)
            #expect(badPrice.text.contains("lines[0].unit_price"))
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    @Test func whileStripeFailsTheBreakerAnswers503WithRetryAfterAtOnce() async throws {
        let log = CapturedLog()
        let harness = try await PaymentsHarness(
            tls: false, withLocalstripe: false, logHandler: CapturingLogHandler(log: log), breakerThreshold: 2)
        do {
            for attempt in 1...2 {
                let reply = try await harness.backend("POST", "/quotes/Q-\(attempt)/payment-intent", json: PaymentsHarness.quoteJSON)
                #expect(reply.status == 503)
            }
            func attempts() -> Int { log.all.components(separatedBy: "Stripe connection failed; retrying").count - 1 }
            let attemptsBefore = attempts()
            let open = try await harness.backend("POST", "/quotes/Q-3/payment-intent", json: PaymentsHarness.quoteJSON)
            #expect(open.status == 503)
            #expect(open.json["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "stripe_unavailable")
            #expect(Int(open.headers["retry-after"] ?? "") ?? 0 >= 1)
            // Refused without calling Stripe: no connection attempt, no retry (a timing would say the same, less surely under load).
            #expect(attempts() == attemptsBefore)
            // The opening shows at error, once; the retries before it at warning.
            #expect(log.all.components(separatedBy: "error Stripe circuit breaker opened").count - 1 == 1, "\(log.all)")
            #expect(log.all.contains("warning Stripe connection failed; retrying"))
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }
}
