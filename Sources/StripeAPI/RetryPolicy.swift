/// When and how long to wait before trying a Stripe request again.
/// Connection errors, 409 and 5xx are retried, and whatever `Stripe-Should-Retry: true` says;
/// never when it says false. 429 is waited out for up to `rateLimitPatience`: a busy API must
/// not fail the night.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var rateLimitPatience: Duration

    public init(
        maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(8),
        rateLimitPatience: Duration = .seconds(600)
    ) {
        self.maxAttempts = maxAttempts; self.baseDelay = baseDelay; self.maxDelay = maxDelay; self.rateLimitPatience = rateLimitPatience
    }

    public enum Verdict: Equatable, Sendable { case retry, waitForRateLimit, fail }

    /// What to do about a response status and its Stripe-Should-Retry header.
    public static func verdict(status: Int, shouldRetryHeader: String?) -> Verdict {
        switch shouldRetryHeader?.lowercased() {
        case "true": return status == 429 ? .waitForRateLimit : .retry
        case "false": return .fail
        default: break
        }
        if status == 429 { return .waitForRateLimit }
        if status == 409 || status >= 500 { return .retry }
        return .fail
    }

    /// Exponential backoff with full jitter, capped: base × 2^(attempt−1), a random share of it.
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(attempt - 1, 20)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        let nanos = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        // Half fixed, half random: never zero, never above the cap.
        return .nanoseconds(nanos / 2 + Int64.random(in: 0...max(0, nanos / 2), using: &random))
    }
}
