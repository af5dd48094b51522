/// The pace shared by every request of a client: Stripe allows 100 requests/s live and 25/s in test
/// mode. Each request takes the next slot of an evenly spaced schedule and waits for it, so callers never
/// provoke 429s and never wait longer than the rate requires. A schedule rather than a token bucket: a
/// bucket's saved-up burst lands on top of the steady rate in one of the server's seconds (429s), and a
/// small bucket wakes every waiter to find one token (see docs/performance.md, session 9).
public actor RateLimiter {
    private let interval: Duration
    private var nextSlot: ContinuousClock.Instant

    public init(requestsPerSecond: Double) {
        let rate = max(requestsPerSecond, 0.1)
        interval = .nanoseconds(Int64(1e9 / rate))
        nextSlot = .now
    }

    public func acquire() async {
        let now = ContinuousClock.now
        // A slot left unused in the past is gone: an idle client does not save up a burst.
        let slot = max(nextSlot, now)
        nextSlot = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
