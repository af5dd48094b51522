/// A token bucket shared by every request of a client: Stripe allows 100 requests/s live and
/// 25/s in test mode. Callers wait for a token instead of provoking 429s.
public actor RateLimiter {
    private let ratePerSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    public init(requestsPerSecond: Double) {
        ratePerSecond = max(requestsPerSecond, 0.1)
        tokens = max(1, requestsPerSecond / 5)
        last = .now
    }

    public func acquire() async {
        while true {
            let now = ContinuousClock.now
            let elapsed = last.duration(to: now)
            last = now
            tokens = min(
                ratePerSecond,
                tokens + Double(elapsed.components.seconds) * ratePerSecond
                    + Double(elapsed.components.attoseconds) / 1e18 * ratePerSecond)
            if tokens >= 1 {
                tokens -= 1
                return
            }
            let wait = (1 - tokens) / ratePerSecond
            try? await Task.sleep(for: .nanoseconds(Int64(wait * 1e9) + 1))
        }
    }
}
