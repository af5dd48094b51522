import Core
import Foundation
import Hummingbird
import Logging
import NIOCore
import SandboxData

/// `payrecon sandbox`: serves a generated account on 127.0.0.1 over HTTP with Hummingbird.
public enum SandboxServer {
    /// Builds the application; `onRunning` receives the bound port (pass port 0 for a free one).
    public static func buildApplication(
        account: SandboxAccount, port: Int, options: SandboxOptions = SandboxOptions(),
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        throws -> some ApplicationProtocol
    {
        let responder = SandboxResponder(index: try SandboxIndex(account.stripe))
        let counter = RequestCounter()
        let router = Router()
        router.get("/**") { request, _ -> Response in
            if options.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(options.latencyMilliseconds)) }
            let reply: SandboxResponder.Reply
            if let limit = options.rateLimit, await !counter.admit(limit: limit) {
                reply = SandboxResponder.error(
                    429, type: "invalid_request_error", code: "rate_limit",
                    message: "Too many requests hit the API too quickly.")
            } else if options.failRate > 0, Double.random(in: 0..<1) < options.failRate {
                reply = SandboxResponder.error(500, type: "api_error", code: nil, message: "An unexpected error occurred (sandbox fault injection).")
            } else {
                reply = responder.respond(
                    path: request.uri.path, query: SandboxQuery(request.uri.query),
                    authorization: request.headers[.authorization])
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "payrecon-sandbox"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
