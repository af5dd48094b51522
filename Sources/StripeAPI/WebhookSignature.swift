import Core
import Crypto
import Foundation

/// Stripe's webhook signature: the `Stripe-Signature` header `t=<unix time>,v1=<hex>[,v1=<hex>…]`,
/// where each v1 is HMAC-SHA256 of `"<t>.<raw body>"` under an endpoint secret. Any v1 may match any
/// configured secret (two secrets are active while one is rotated); the comparison is constant-time;
/// the timestamp must be within the tolerance (300 s) of now, which stops replays.
public enum WebhookSignature {
    public static let defaultTolerance: Int64 = 300

    /// Verifies `header` for `payload`; returns the signed timestamp.
    @discardableResult
    public static func verify(
        payload: Data, header: String?, secrets: [String], now: Int64,
        tolerance: Int64 = defaultTolerance
    ) throws(WebhookSignatureError) -> Int64 {
        guard let header, !header.isEmpty else { throw WebhookSignatureError(.missingHeader) }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw WebhookSignatureError(.malformedHeader) }
            switch pair[0] {
            case "t": timestamp = Int64(pair[1])
            case "v1": if let bytes = hexBytes(pair[1]) { signatures.append(bytes) }
            default: continue // v0 (test-mode legacy) and future schemes are ignored, as Stripe's libraries do.
            }
        }
        guard let timestamp else { throw WebhookSignatureError(.malformedHeader) }
        guard !signatures.isEmpty else { throw WebhookSignatureError(.noV1Signature) }
        guard abs(now - timestamp) <= tolerance else { throw WebhookSignatureError(.outsideTolerance) }
        let signed = Data("\(timestamp).".utf8) + payload
        var matched = false
        for secret in secrets {
            let expected = Array(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data(secret.utf8))))
            // Check every candidate without stopping early: timing must not say which one matched.
            for signature in signatures where constantTimeEqual(signature, expected) { matched = true }
        }
        guard matched else { throw WebhookSignatureError(.noMatch) }
        return timestamp
    }

    /// The header Stripe would send for `payload` at `timestamp` (for tests and local tools).
    public static func header(payload: Data, secret: String, timestamp: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + payload, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + Hex.encode(code)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}

/// Why a webhook was refused. Never carries the secret or the body.
public struct WebhookSignatureError: Error, Hashable, Sendable, CustomStringConvertible {
    enum Reason: Hashable, Sendable { case missingHeader, malformedHeader, noV1Signature, outsideTolerance, noMatch }
    let reason: Reason
    init(_ reason: Reason) { self.reason = reason }

    public static let missingHeader = WebhookSignatureError(.missingHeader)
    public static let malformedHeader = WebhookSignatureError(.malformedHeader)
    public static let noV1Signature = WebhookSignatureError(.noV1Signature)
    public static let outsideTolerance = WebhookSignatureError(.outsideTolerance)
    public static let noMatch = WebhookSignatureError(.noMatch)

    public var description: String {
        switch reason {
        case .missingHeader: return "no Stripe-Signature header"
        case .malformedHeader: return "Stripe-Signature is not t=…,v1=…"
        case .noV1Signature: return "Stripe-Signature has no v1 signature"
        case .outsideTolerance: return "Stripe-Signature timestamp is outside the tolerance (replay or clock skew)"
        case .noMatch: return "no v1 signature matches an endpoint secret"
        }
    }
}
