import StripeAPI
import Testing

@Suite struct PolicyTests {
    @Test(
        arguments: [
            (500, nil, RetryPolicy.Verdict.retry), (503, nil, .retry), (409, nil, .retry), (429, nil, .waitForRateLimit),
            (400, nil, .fail), (401, nil, .fail), (404, nil, .fail), (500, "false", .fail), (400, "true", .retry), (429, "true", .waitForRateLimit),
        ] as [(Int, String?, RetryPolicy.Verdict)])
    func verdicts(status: Int, header: String?, verdict: RetryPolicy.Verdict) {
        #expect(RetryPolicy.verdict(status: status, shouldRetryHeader: header) == verdict)
    }

    @Test func backoffGrowsIsJitteredAndCapped() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        var random = SystemRandomNumberGenerator()
        for attempt in 1...12 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(2))
            for _ in 0..<20 {
                let delay = policy.delay(attempt: attempt, using: &random)
                #expect(delay >= ceiling / 2 && delay <= ceiling)
            }
        }
    }

    @Test func formEncodingEscapesBrackets() {
        #expect(
            FormEncoding.query([("created[gte]", "1700000000"), ("expand[]", "data.source"), ("q", "a b&c")])
                == "?created%5Bgte%5D=1700000000&expand%5B%5D=data.source&q=a%20b%26c")
        #expect(FormEncoding.query([]) == "")
    }

    @Test func keysNeverPrint() throws {
        let key = try APIKey("sk_test_51Hsecretsecret")
        #expect(!String(describing: key).contains("secret"))
        #expect(!"\(key)".contains("51H"))
        #expect(key.isTestMode)
        #expect(throws: APIKeyError.self) { try APIKey("pk_test_publishable") }
        #expect(throws: APIKeyError.self) { try APIKey("  ") }
        #expect(try APIKey.fromEnvironment(["STRIPE_API_KEY": "sk_live_x"]).isTestMode == false)
        #expect(throws: APIKeyError.self) { try APIKey.fromEnvironment([:]) }
    }
}
