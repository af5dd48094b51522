import Foundation
import TestSupport
import Testing

@testable import Payments

/// The buyer's checkout page in a real browser (headless Chromium), with a stand-in for js.stripe.com
/// that records the calls the page makes (scripts/stripe_js_standin.py): the Payment Element is mounted
/// with the PaymentIntent's client secret and confirmed with the signed return URL, and the return
/// page tells the payment's state. No real Stripe call: localstripe holds the PaymentIntent.
@Suite(.serialized) struct CheckoutPageTests {
    static let publicURL = "https://pay.marketplace.invalid"

    @Test func thePageMountsThePaymentElementAndConfirmsWithTheReturnURL() async throws {
        let harness = try await PaymentsHarness(tls: true, withLocalstripe: true, checkout: true)
        do {
            let answer = try await harness.backend("POST", "/quotes/Q-1001/payment-intent", json: PaymentsHarness.quoteJSON)
            #expect(answer.status == 200, "\(answer.text)")
            let link = try #require(answer.json["checkout_url"] as? String)
            let clientSecret = try #require(answer.json["client_secret"] as? String)
            #expect(link.hasPrefix(Self.publicURL + "/pay/Q-1001?expires="), "\(link)")
            let path = String(link.dropFirst(Self.publicURL.count))

            let page = try await harness.send("GET", harness.baseURL + path, headers: [:])
            #expect(page.status == 200)
            #expect(page.headers["content-security-policy"] == CheckoutPage.contentSecurityPolicy)
            #expect(page.headers["content-security-policy"]?.contains("script-src 'self' https://js.stripe.com;") == true)
            // No inline script: every script element loads a file, from here or from Stripe.
            let scripts = page.text.components(separatedBy: "<script").count - 1
            #expect(scripts == 2 && page.text.components(separatedBy: "<script src=\"").count - 1 == scripts)
            #expect(page.text.contains("<script src=\"https://js.stripe.com/v3/\"></script>"))
            #expect(page.text.contains("data-publishable-key=\"\(PaymentsHarness.publishableKey)\""))
            #expect(page.text.contains("data-client-secret=\"\(clientSecret)\""))
            #expect(page.text.contains("77.31 EUR"))

            // A link for another quote, or one past its expiry, is refused with a page that says so.
            let tampered = try await harness.send("GET", harness.baseURL + path.replacingOccurrences(of: "Q-1001", with: "Q-1002"), headers: [:])
            #expect(tampered.status == 403 && tampered.text.contains("data-code=\"link_invalid\""))
            let expired = CheckoutLink(secret: PaymentsHarness.checkoutSecret).path(quoteId: "Q-1001", expires: 1_700_000_000)
            let old = try await harness.send("GET", harness.baseURL + expired, headers: [:])
            #expect(old.status == 410 && old.text.contains("data-code=\"link_expired\""))

            // The browser: the page's script drives the stand-in, which plays Stripe.js and the buyer.
            let folder = TestScratch.directory.appendingPathComponent("checkout-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let records = folder.appendingPathComponent("calls.jsonl").path
            let standin = try HelperProcess(script: "stripe_js_standin.py", arguments: [records, folder.path])
            defer { standin.stop() }
            let dom = try CommandOutput.run([
                "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors",
                "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                "--host-resolver-rules=MAP js.stripe.com:443 127.0.0.1:\(standin.port), MAP api.stripe.com:443 127.0.0.1:\(standin.port)",
                "--virtual-time-budget=20000", "--dump-dom", harness.baseURL + path,
            ])
            let calls = try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n").compactMap {
                try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.sorted { ($0["seq"] as? Int ?? 0) < ($1["seq"] as? Int ?? 0) }
            #expect(calls.map { $0["call"] as? String } == ["Stripe", "elements", "create", "mount", "confirmPayment"], "\(calls)")
            func args(_ name: String) -> [String: Any] { calls.first { $0["call"] as? String == name }?["args"] as? [String: Any] ?? [:] }
            #expect(args("Stripe")["key"] as? String == PaymentsHarness.publishableKey)
            #expect(args("elements")["clientSecret"] as? String == clientSecret)
            #expect(args("create")["type"] as? String == "payment")
            #expect(args("mount")["selector"] as? String == "#payment-element" && args("mount")["found"] as? Bool == true)
            let returnURL = try #require(args("confirmPayment")["return_url"] as? String)
            #expect(returnURL.hasPrefix("\(harness.baseURL)/pay/Q-1001/return?expires="), "\(returnURL)")
            #expect(args("confirmPayment")["has_elements"] as? Bool == true)
            // Back from "Stripe": the return page, with the PaymentIntent's state (localstripe never saw a card).
            #expect(dom.contains("id=\"state\" data-status=\"requires_payment_method\""), "\(dom)")
            #expect(dom.contains("Payment not completed") && dom.contains("Try again"))
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }

    /// Without payment_method_types in the config, the PaymentIntent asks for the Dashboard's automatic
    /// payment methods (cards, wallets, bank debits): the form body as a recording server received it.
    @Test func automaticPaymentMethodsAreAskedForByDefault() async throws {
        let harness = try await PaymentsHarness(tls: false, withLocalstripe: false, stripeIsTheRecorder: true)
        do {
            let answer = try await harness.backend("POST", "/quotes/Q-1001/payment-intent", json: PaymentsHarness.quoteJSON)
            #expect(answer.status >= 500, "the recorder answers no PaymentIntent: \(answer.text)")
            let folder = harness.directory.appendingPathComponent("notifications")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            let requests = try files.map {
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent($0))) as? [String: Any] ?? [:]
            }
            let create = try #require(requests.first { $0["path"] as? String == "/v1/payment_intents" })
            let body = try #require(create["body"] as? String)
            #expect(body.contains("automatic_payment_methods%5Benabled%5D=true"), "\(body)")
            #expect(!body.contains("payment_method_types"))
            #expect(body.contains("amount=7731") && body.contains("currency=eur") && body.contains("metadata%5Border_id%5D=ord_Q-1001"))
            let headers = create["headers"] as? [String: String] ?? [:]
            #expect(headers["Idempotency-Key"]?.hasPrefix("payrecon-quote-Q-1001-") == true)
        } catch { await harness.stop(); throw error }
        await harness.stop()
    }
}
