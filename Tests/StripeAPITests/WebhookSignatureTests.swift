import Foundation
import StripeAPI
import TestSupport
import Testing

/// Webhook signatures checked against Stripe's official Python SDK (scripts/stripe_signature.py).
@Suite struct WebhookSignatureTests {
    static let secret = "whsec_test_4eC39HqLyjWDarjtT1zdp7dc"
    static let payload = Data(
        #"{"id":"evt_1","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":1099}}}"#.utf8)

    static func stripe(_ command: String, _ value: String, secret: String = secret) throws -> String {
        command == "sign"
            ? try StripeSDK.signature(payload: payload, secret: secret, timestamp: Int64(value)!)
            : try StripeSDK.check(payload: payload, secret: secret, header: value)
    }

    @Test func signaturesMadeByStripesSDKVerifyAndOursPassStripesCheck() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let reference = try Self.stripe("sign", String(now))
        #expect(reference.count == 64)
        let header = "t=\(now),v1=\(reference)"
        #expect(try WebhookSignature.verify(payload: Self.payload, header: header, secrets: [Self.secret], now: now) == now)
        #expect(WebhookSignature.header(payload: Self.payload, secret: Self.secret, timestamp: now) == header)
        #expect(try Self.stripe("check", header) == "ok")
    }

    @Test func refusals() throws {
        let now: Int64 = 1_790_000_000
        let good = WebhookSignature.header(payload: Self.payload, secret: Self.secret, timestamp: now)
        let tampered = Data(String(decoding: Self.payload, as: UTF8.self).replacingOccurrences(of: "1099", with: "1").utf8)
        #expect(throws: WebhookSignatureError.noMatch) {
            try WebhookSignature.verify(payload: tampered, header: good, secrets: [Self.secret], now: now)
        }
        #expect(throws: WebhookSignatureError.noMatch) {
            try WebhookSignature.verify(payload: Self.payload, header: good, secrets: ["whsec_other"], now: now)
        }
        #expect(throws: WebhookSignatureError.outsideTolerance) {
            try WebhookSignature.verify(payload: Self.payload, header: good, secrets: [Self.secret], now: now + 301)
        }
        #expect(try WebhookSignature.verify(payload: Self.payload, header: good, secrets: [Self.secret], now: now + 300) == now)
        #expect(throws: WebhookSignatureError.missingHeader) {
            try WebhookSignature.verify(payload: Self.payload, header: nil, secrets: [Self.secret], now: now)
        }
        #expect(throws: WebhookSignatureError.malformedHeader) {
            try WebhookSignature.verify(payload: Self.payload, header: "v1=abc", secrets: [Self.secret], now: now)
        }
        #expect(throws: WebhookSignatureError.noV1Signature) {
            try WebhookSignature.verify(payload: Self.payload, header: "t=\(now),v0=abcd", secrets: [Self.secret], now: now)
        }
    }

    @Test func anyV1MayMatchAnySecretDuringRotation() throws {
        let now: Int64 = 1_790_000_000
        let old = WebhookSignature.header(payload: Self.payload, secret: "whsec_old", timestamp: now)
        let new = WebhookSignature.header(payload: Self.payload, secret: Self.secret, timestamp: now)
        let both = "t=\(now),v1=\(String(repeating: "0", count: 64)),v1=" + new.split(separator: "=").last!
        #expect(try WebhookSignature.verify(payload: Self.payload, header: both, secrets: ["whsec_old", Self.secret], now: now) == now)
        #expect(try WebhookSignature.verify(payload: Self.payload, header: old, secrets: ["whsec_old", Self.secret], now: now) == now)
        #expect(!String(describing: WebhookSignatureError.noMatch).contains("whsec"))
    }
}
