import Foundation

/// Stops calling Stripe while it is failing, so callers get an answer at once instead of waiting
/// out every retry. Closed: calls pass. After `failureThreshold` consecutive failed calls (each
/// already retried by `RetryPolicy`) it opens for `cooldown`: calls fail with `CircuitOpenError`
/// and a Retry-After. Then one trial call is let through (half-open); its outcome closes or
/// reopens the breaker.
public actor CircuitBreaker {
    public enum State: Equatable, Sendable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen
    }

    public let failureThreshold: Int
    public let cooldown: Duration
    public private(set) var state: State = .closed
    private var consecutiveFailures = 0
    private var trialInFlight = false

    public init(failureThreshold: Int = 5, cooldown: Duration = .seconds(30)) {
        self.failureThreshold = failureThreshold
        self.cooldown = cooldown
    }

    /// Throws `CircuitOpenError` when no call may go out now.
    public func admit(path: String) throws(CircuitOpenError) {
        switch state {
        case .closed:
            return
        case .open(let until):
            let now = ContinuousClock.now
            guard now >= until else { throw CircuitOpenError(path: path, retryAfter: now.duration(to: until)) }
            state = .halfOpen
            trialInFlight = true
        case .halfOpen:
            // One trial at a time; everyone else waits for its verdict.
            guard !trialInFlight else { throw CircuitOpenError(path: path, retryAfter: .seconds(1)) }
            trialInFlight = true
        }
    }

    /// An admitted call ended without a verdict on Stripe (cancelled): it neither opens nor closes.
    public func abandon() { trialInFlight = false }

    /// Records how an admitted call ended; true when this call opened the breaker (it was closed or half-open).
    @discardableResult
    public func record(success: Bool) -> Bool {
        trialInFlight = false
        if success {
            consecutiveFailures = 0
            state = .closed
            return false
        }
        consecutiveFailures += 1
        if state == .halfOpen || consecutiveFailures >= failureThreshold {
            let opening = state == .closed || state == .halfOpen
            state = .open(until: ContinuousClock.now + cooldown)
            return opening
        }
        return false
    }
}

/// A call refused because the breaker is open. `retryAfter` is how long until it lets a trial through.
public struct CircuitOpenError: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let retryAfter: Duration

    /// Whole seconds, at least 1, for a Retry-After header.
    public var retryAfterSeconds: Int { max(1, Int(retryAfter.components.seconds) + (retryAfter.components.attoseconds > 0 ? 1 : 0)) }
    public var description: String { "Stripe \(path): circuit open after repeated failures; retry in \(retryAfterSeconds) s" }
}
