/// A failed Stripe request, after retries. Built from Stripe's error body
/// (`{"error": {"type", "code", "message"}}`); it never holds the API key or request body.
public struct StripeError: Error, Hashable, Sendable, CustomStringConvertible {
    public let status: Int
    public let type: String?
    public let code: String?
    public let message: String
    public let path: String
    public let requestId: String?

    public init(status: Int, type: String?, code: String?, message: String, path: String, requestId: String?) {
        self.status = status; self.type = type; self.code = code; self.message = message; self.path = path; self.requestId = requestId
    }

    /// Stripe could not be reached or could not answer (connection error, 429, 5xx): the call may
    /// work later. Anything else is Stripe's verdict on the request itself.
    public var isUnavailable: Bool { status == 0 || status == 429 || status >= 500 }

    public var description: String {
        var text = "Stripe \(path): HTTP \(status)"
        if let type { text += " \(type)" }
        if let code { text += " (\(code))" }
        text += ": \(message)"
        if let requestId { text += " [request \(requestId)]" }
        return text
    }
}

/// Stripe's error envelope.
struct StripeErrorBody: Decodable {
    struct Detail: Decodable {
        let type: String?
        let code: String?
        let message: String?
    }
    let error: Detail
}
