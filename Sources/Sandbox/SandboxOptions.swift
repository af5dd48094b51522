/// How unfriendly the sandbox is: latency, a request-rate limit answered with 429, random 500s.
public struct SandboxOptions: Sendable {
    public var latencyMilliseconds: Int
    /// Requests per second before 429; nil for no limit.
    public var rateLimit: Int?
    /// Share of requests answered with a 500, 0...1.
    public var failRate: Double

    public init(latencyMilliseconds: Int = 0, rateLimit: Int? = nil, failRate: Double = 0) {
        self.latencyMilliseconds = latencyMilliseconds; self.rateLimit = rateLimit; self.failRate = failRate
    }
}

/// Counts requests per one-second window for the sandbox's rate limit.
actor RequestCounter {
    private let start = ContinuousClock.now
    private var window: Int64 = -1
    private var count = 0

    func admit(limit: Int) -> Bool {
        let current = start.duration(to: .now).components.seconds
        if current != window { window = current; count = 0 }
        count += 1
        return count <= limit
    }
}
