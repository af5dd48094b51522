import Foundation
import Hummingbird
import Logging

/// One log line per request, for the engineer on call: method, route, status, duration, actor and
/// request id (the caller's X-Request-Id, or one made here; echoed in the answer). Never a body, never
/// a header's value but the request id's. Refusals (4xx) are warnings and failures (5xx) errors, so both
/// show at the default level.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let tokens: APITokens

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = request.headers[.init("X-Request-Id")!].flatMap(Self.plausible) ?? UUID().uuidString.lowercased()
        // The handlers read the id from the request (the audit log keeps it); the caller's own is replaced when implausible.
        var head = request.head
        head.headerFields[.init("X-Request-Id")!] = requestId
        do {
            var response = try await next(Request(head: head, body: request.body), context)
            response.headers[.init("X-Request-Id")!] = requestId
            log(request, context, status: Int(response.status.code), requestId: requestId, since: started)
            return response
        } catch {
            // SecurityMiddleware turns handlers' HTTP errors into answers; what still escapes is the server's 500.
            log(request, context, status: (error as? HTTPError).map { Int($0.status.code) } ?? 500, requestId: requestId, since: started)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, requestId: String, since started: ContinuousClock.Instant) {
        let level: Logger.Level = status >= 500 ? .error : status >= 400 ? .warning : .info
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        logger.log(
            level: level, "request",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.route": "\(context.endpointPath ?? request.uri.path)",
                "http.status": "\(status)", "duration_ms": "\(String(format: "%.1f", milliseconds))",
                "actor": "\(actor(request))", "request_id": "\(requestId)",
            ])
    }

    /// Who is asking: Stripe (a signed webhook), a known token by its name, a bearer nobody knows, or nobody.
    func actor(_ request: Request) -> String {
        if request.headers[.init("Stripe-Signature")!] != nil { return "stripe" }
        if let name = tokens.actor(authorization: request.headers[.authorization]) { return name }
        return request.headers[.authorization] == nil ? "anonymous" : "unknown-token"
    }

    /// A caller's request id is kept only when it is short and plain (it goes into every log line).
    static func plausible(_ id: String) -> String? {
        id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } && !id.isEmpty ? id : nil
    }
}
