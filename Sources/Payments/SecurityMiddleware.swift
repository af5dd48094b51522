import Hummingbird
import Logging

/// HTTPS on every endpoint. Natively served TLS is HTTPS by construction; behind a proxy, a
/// request whose X-Forwarded-Proto is not `https` is refused (403) before any handler runs.
/// Every answer carries Strict-Transport-Security, refusals included.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    let https: PaymentsConfiguration.HTTPS
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if https.mode == .proxy, request.headers[.init("X-Forwarded-Proto")!]?.lowercased() != "https" {
            // At warning: a proxy that does not say X-Forwarded-Proto: https drops every order, and that must show.
            logger.warning("Plain HTTP request refused", metadata: ["http.path": "\(request.uri.path)"])
            response = PaymentsApplication.json(ErrorBody(error: .init(code: "https_required", message: "use HTTPS")), status: .forbidden)
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError {
                response = PaymentsApplication.json(
                    ErrorBody(error: .init(code: "http_error", message: error.body ?? error.status.reasonPhrase)),
                    status: error.status)
            }
        }
        response.headers[.init("Strict-Transport-Security")!] = "max-age=\(https.hstsMaxAgeSeconds); includeSubDomains"
        response.headers[.init("X-Content-Type-Options")!] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// The marketplace backend's bearer tokens (`APITokens`): a request without a known one is 401; one
/// with it goes on carrying its actor's name in `X-Payrecon-Actor` (set here, whatever the caller sent).
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: APITokens

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let actor = tokens.actor(authorization: request.headers[.authorization]) else {
            var response = PaymentsApplication.json(
                ErrorBody(error: .init(code: "unauthorized", message: "Authorization: Bearer token required")),
                status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        var head = request.head
        head.headerFields[.init("X-Payrecon-Actor")!] = actor
        return try await next(Request(head: head, body: request.body), context)
    }
}

/// Comparison whose time does not depend on where the inputs differ.
enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
