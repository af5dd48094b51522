import AsyncHTTPClient
import Core
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Talks to Stripe's REST API (or `payrecon sandbox`): authentication, the pinned version,
/// rate limiting, retries and decoding. One client is shared by every task of a run.
public final class StripeClient: Sendable {
    public let baseURL: String
    let apiKey: APIKey
    let retry: RetryPolicy
    let limiter: RateLimiter
    let logger: Logger
    let http: HTTPClient
    let timeout: TimeAmount
    /// Shared by every request of this client: after repeated failures it fails calls at once.
    public let breaker: CircuitBreaker
    private let sent = Atomic<Int>(0)
    /// HTTP requests sent so far, retries included (what Stripe's rate limit counts).
    public var requestsSent: Int { sent.load(ordering: .relaxed) }

    public init(
        baseURL: String = "https://api.stripe.com", apiKey: APIKey, retry: RetryPolicy = RetryPolicy(),
        requestsPerSecond: Double? = nil, timeout: TimeAmount = .seconds(60),
        breaker: CircuitBreaker = CircuitBreaker(), logger: Logger
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.retry = retry
        self.limiter = RateLimiter(requestsPerSecond: requestsPerSecond ?? (apiKey.isTestMode ? 25 : 100))
        self.logger = logger
        self.http = stripeHTTPClient
        self.timeout = timeout
        self.breaker = breaker
    }

    /// GETs `path` with `query` and decodes the body, retrying as `RetryPolicy` says.
    public func get<T: Decodable>(_ path: String, query: [(String, String)] = [], as type: T.Type = T.self) async throws -> T {
        try Self.decode(try await send(.GET, path: path, query: query), path: path)
    }

    /// POSTs a form to `path` with an `Idempotency-Key` that every retry reuses, so a retried
    /// create never creates twice. Derive the key from what the call is about (a quote, a refund
    /// request), not from the moment.
    public func post<T: Decodable>(
        _ path: String, form: [(String, String)], idempotencyKey: String,
        as type: T.Type = T.self
    ) async throws -> T {
        try Self.decode(try await send(.POST, path: path, form: form, idempotencyKey: idempotencyKey), path: path)
    }

    /// A body decoded as `get` decodes it: a shape it does not expect is a `decoding_error` naming the path.
    public static func decode<T: Decodable>(_ data: Data, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw StripeError(
                status: 200, type: "decoding_error", code: nil,
                message: "unexpected response shape: \(Self.describe(error))", path: path, requestId: nil)
        }
    }

    /// One logical call: the breaker decides whether to try at all, and learns how the call ended
    /// (a Stripe answer such as a card decline is the API working, not failing).
    func send(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], form: [(String, String)]? = nil,
        idempotencyKey: String? = nil
    ) async throws -> Data {
        try await breaker.admit(path: path)
        do {
            let data = try await attempt(method, path: path, query: query, form: form, idempotencyKey: idempotencyKey)
            await breaker.record(success: true)
            return data
        } catch let error as StripeError {
            if await breaker.record(success: !error.isUnavailable) {
                // At error: every call to Stripe is refused from now until the cooldown's trial.
                logger.error(
                    "Stripe circuit breaker opened", metadata: ["stripe.path": "\(path)", "cooldown": "\(breaker.cooldown)", "error": "\(error)"])
            }
            throw error
        } catch {
            await breaker.abandon()
            throw error
        }
    }

    func attempt(
        _ method: HTTPMethod, path: String, query: [(String, String)], form: [(String, String)]?,
        idempotencyKey: String?
    ) async throws -> Data {
        let url = baseURL + path + FormEncoding.query(query)
        let body = form.map { FormEncoding.body($0) }
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        let started = ContinuousClock.now
        while true {
            attempt += 1
            await limiter.acquire()
            sent.add(1, ordering: .relaxed)
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "Authorization", value: "Bearer \(apiKey.secret)")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(ByteBuffer(string: body))
            }
            if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
            request.headers.add(name: "Stripe-Version", value: StripeVersion.pinned)
            request.headers.add(name: "User-Agent", value: "payrecon/0.1")
            let outcome: (status: Int, body: Data, headers: HTTPHeaders)
            do {
                let response = try await http.execute(request, timeout: timeout)
                let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
                outcome = (Int(response.status.code), Data(body.readableBytesView), response.headers)
            } catch {
                guard attempt < retry.maxAttempts else {
                    throw StripeError(status: 0, type: "connection_error", code: nil, message: Self.describe(error), path: path, requestId: nil)
                }
                logger.warning("Stripe connection failed; retrying", metadata: ["stripe.path": "\(path)", "attempt": "\(attempt)"])
                try await Task.sleep(for: retry.delay(attempt: attempt, using: &generator))
                continue
            }
            if (200..<300).contains(outcome.status) { return outcome.body }
            let verdict = RetryPolicy.verdict(status: outcome.status, shouldRetryHeader: outcome.headers.first(name: "Stripe-Should-Retry"))
            let waited = started.duration(to: .now)
            let mayRetry =
                switch verdict {
                case .retry: attempt < retry.maxAttempts
                case .waitForRateLimit: waited < retry.rateLimitPatience
                case .fail: false
                }
            guard mayRetry else { throw error(status: outcome.status, body: outcome.body, headers: outcome.headers, path: path) }
            logger.warning(
                "Stripe answered \(outcome.status); retrying",
                metadata: ["stripe.path": "\(path)", "attempt": "\(attempt)"])
            // Retry-After (seconds) is Stripe's own word on when to come back: never sooner.
            var pause = retry.delay(attempt: min(attempt, 6), using: &generator)
            if let after = outcome.headers.first(name: "Retry-After").flatMap(Double.init), after > 0 {
                pause = max(pause, .milliseconds(Int64(min(after, 600) * 1_000)))
            }
            try await Task.sleep(for: pause)
        }
    }

    func error(status: Int, body: Data, headers: HTTPHeaders, path: String) -> StripeError {
        let detail = try? JSONDecoder().decode(StripeErrorBody.self, from: body).error
        var message = detail?.message ?? "no error body"
        if status == 403, apiKey.isRestricted { message = RestrictedKeyAdvice.explain(message, path: path) }
        return StripeError(
            status: status, type: detail?.type, code: detail?.code, message: message, path: path, requestId: headers.first(name: "Request-Id"))
    }

    /// Errors from lower layers, without anything that could carry the key.
    static func describe(_ error: any Error) -> String {
        if error is DecodingError { return DecodingProblem.describe(error) }
        return String(describing: type(of: error)) + ": " + String(describing: error)
    }
}

/// One HTTP client for the process. Connection establishment is not retried inside the client:
/// `RetryPolicy` retries it with backoff, so an unreachable API fails in seconds, not after the
/// request deadline of every attempt.
private let stripeHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
    configuration.connectionPool.retryConnectionEstablishment = false
    // AsyncHTTPClient keeps 8 connections per host by default, which at Stripe's latency caps a pull below
    // its rate limit whatever --concurrency says: the rate limiter, not the pool, decides the pace.
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
}()
