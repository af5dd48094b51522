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

/// The marketplace backend's bearer token, compared in constant time.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        guard ConstantTime.equal(Array(presented.utf8), Array(token.utf8)) else {
            var response = PaymentsApplication.json(
                ErrorBody(error: .init(code: "unauthorized", message: "Authorization: Bearer token required")),
                status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
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
