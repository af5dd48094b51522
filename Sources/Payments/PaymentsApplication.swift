import Core
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// `payrecon serve`: the HTTP face of `PaymentsService` for the marketplace backend and Stripe.
/// Shared by the command and the tests (`buildApplication`), so both run the same server.
public enum PaymentsApplication {
    /// `onRunning` receives the bound port (configure port 0 for a free one).
    public static func buildApplication(
        service: PaymentsService, secrets: PaymentsSecrets, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let configuration = service.configuration
        let router = Router()
        let tokens = APITokens(named: configuration.apiTokens, shared: secrets.apiToken)
        router.add(middleware: AccessLogMiddleware(logger: logger, tokens: tokens))
        router.add(middleware: SecurityMiddleware(https: configuration.https, logger: logger))
        let limit = configuration.maxBodyBytes

        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }

        // Stripe authenticates by signature only; the backend's token does not apply here.
        router.post("/webhooks/stripe") { request, _ -> Response in
            try await respond(logger) {
                let body = try await collect(request, limit: limit)
                return try await service.receiveWebhook(body: body, signatureHeader: request.headers[.init("Stripe-Signature")!])
            }
        }

        // The buyer's pages: no token (the signed link is the credential), HTML, a strict CSP.
        router.get("/pay/assets/checkout.js") { _, _ in asset(CheckoutPage.script, type: "text/javascript; charset=utf-8") }
        router.get("/pay/assets/checkout.css") { _, _ in asset(CheckoutPage.style, type: "text/css; charset=utf-8") }
        router.get("/pay/:quote") { request, context -> Response in
            await page { () async throws(PaymentsError) -> String in
                try await service.checkoutPage(
                    quoteId: context.parameters.get("quote") ?? "", expires: request.uri.queryParameters.get("expires"),
                    signature: request.uri.queryParameters.get("signature"), origin: origin(request, mode: configuration.https.mode))
            }
        }
        router.get("/pay/:quote/return") { request, context -> Response in
            await page { () async throws(PaymentsError) -> String in
                try await service.checkoutReturn(
                    quoteId: context.parameters.get("quote") ?? "", expires: request.uri.queryParameters.get("expires"),
                    signature: request.uri.queryParameters.get("signature"))
            }
        }

        let backend = router.group().add(middleware: BearerAuthMiddleware(tokens: tokens))
        backend.post("/quotes/:id/payment-intent") { request, context -> Response in
            try await respond(logger) {
                let body: QuoteRequest = try decodeJSON(try await collect(request, limit: limit))
                return try await service.paymentIntent(quoteId: context.parameters.get("id") ?? "", request: body, actor: actor(request))
            }
        }
        backend.post("/orders/:id/refunds") { request, context -> Response in
            try await respond(logger) {
                let body: RefundRequestBody = try decodeJSON(try await collect(request, limit: limit))
                return try await service.refund(
                    orderId: OrderID(context.parameters.get("id") ?? ""), body: body,
                    requestKey: request.headers[.init("Idempotency-Key")!] ?? "", actor: actor(request))
            }
        }
        backend.get("/orders/:id") { _, context -> Response in
            try await respond(logger) { try service.orderStatus(OrderID(context.parameters.get("id") ?? "")) }
        }

        let server: HTTPServerBuilder
        if configuration.https.mode == .tls, let certificate = configuration.https.certificate, let key = configuration.https.privateKey {
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            // PCI DSS's "strong cryptography": TLS 1.2 at least (NIOSSL's server default also accepts 1.0
            // and 1.1), and for 1.2 only forward-secret AEAD suites; TLS 1.3's suites are all of that kind.
            tls.minimumTLSVersion = .tlsv12
            tls.cipherSuiteValues = [
                .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            ]
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        return Application(
            router: router, server: server,
            configuration: .init(
                address: .hostname(configuration.listen.host, port: configuration.listen.port),
                serverName: "payrecon"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.listen.port) },
            logger: logger)
    }

    /// Runs a handler and turns its value or its `PaymentsError` into a JSON response.
    static func respond(_ logger: Logger, _ body: () async throws -> some Encodable) async throws -> Response {
        do {
            return json(try await body(), status: .ok)
        } catch let error as PaymentsError {
            var response = json(ErrorBody(error: .init(code: error.code, message: error.message)), status: .init(code: error.status))
            if let seconds = error.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        } catch let error as HTTPError {
            throw error
        } catch {
            // Anything else is a bug or an outage: a JSON 500 without details (they are in the log).
            logger.error("Request failed", metadata: ["error": "\(error)"])
            return json(
                ErrorBody(error: .init(code: "internal_error", message: "the request failed; see the server log")),
                status: .internalServerError)
        }
    }

    /// The actor `BearerAuthMiddleware` named and the id `AccessLogMiddleware` gave the request.
    static func actor(_ request: Request) -> RequestActor {
        RequestActor(name: request.headers[.init("X-Payrecon-Actor")!] ?? "backend", requestId: request.headers[.init("X-Request-Id")!])
    }

    /// An HTML page with the checkout's Content-Security-Policy; a refusal is a page too.
    static func page(_ body: () async throws(PaymentsError) -> String) async -> Response {
        let (status, html): (HTTPResponse.Status, String)
        do { (status, html) = (.ok, try await body()) } catch { (status, html) = (.init(code: error.status), CheckoutPage.problem(error)) }
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
        response.headers[.init("Content-Security-Policy")!] = CheckoutPage.contentSecurityPolicy
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Where the buyer reached this server: https and the Host they asked for (behind the proxy, the
    /// X-Forwarded-Host it sets; served natively, a caller's X-Forwarded-Host means nothing), so the
    /// return URL comes back the same way.
    static func origin(_ request: Request, mode: PaymentsConfiguration.HTTPS.Mode) -> String {
        let forwarded = mode == .proxy ? request.headers[.init("X-Forwarded-Host")!] : nil
        return "https://" + (forwarded ?? request.head.authority ?? "localhost")
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"code":"internal_error","message":"unencodable"}}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The raw body, refused with 413 beyond `limit` bytes (checked before reading when Content-Length says so).
    static func collect(_ request: Request, limit: Int) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge(limit) }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) runs past the limit while it is read.
            throw tooLarge(limit)
        }
    }

    static func tooLarge(_ limit: Int) -> PaymentsError {
        PaymentsError(status: 413, code: "body_too_large", message: "request body: at most \(limit) bytes")
    }

    static func decodeJSON<T: Decodable>(_ data: Data) throws(PaymentsError) -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw PaymentsError(status: 400, code: "invalid_json", message: DecodingProblem.describe(error))
        } catch {
            throw PaymentsError(status: 400, code: "invalid_json", message: "the body is not JSON")
        }
    }
}

struct ErrorBody: Encodable {
    struct Detail: Encodable { let code: String; let message: String }
    let error: Detail
}
