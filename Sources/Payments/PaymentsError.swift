/// A request the payments module refused or could not serve, with the HTTP status it maps to.
/// Messages are for the marketplace backend's developers: they name the field and what was expected,
/// and never carry secrets or card data.
public struct PaymentsError: Error, Hashable, Sendable, CustomStringConvertible {
    public let status: Int
    public let code: String
    public let message: String
    /// Seconds, for 503 answers while Stripe is unavailable.
    public let retryAfterSeconds: Int?

    public init(status: Int, code: String, message: String, retryAfterSeconds: Int? = nil) {
        self.status = status; self.code = code; self.message = message; self.retryAfterSeconds = retryAfterSeconds
    }

    public static func invalid(_ field: String, _ expected: String) -> PaymentsError {
        PaymentsError(status: 422, code: "invalid_request", message: "\(field): \(expected)")
    }

    public var description: String { "\(status) \(code): \(message)" }
}
