import CCurl
import Foundation

/// Sends an email through an SMTP server with libcurl. TLS is used when the server offers
/// STARTTLS (`smtp://`), or from the first byte (`smtps://`); `requireTLS` refuses to send in the clear.
public struct SMTPMailer: Sendable {
    public let url: String
    public let username: String?
    let password: String?
    public let requireTLS: Bool
    /// PEM bundle of the certificate authorities to trust instead of the system's (a private CA).
    public let caFile: String?
    public let timeoutSeconds: Int

    public init(
        url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = false, caFile: String? = nil,
        timeoutSeconds: Int = 30
    ) {
        self.url = url; self.username = username; self.password = password; self.requireTLS = requireTLS; self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends `message` to its recipient. Blocking: call it off the request path (the outbox worker does).
    public func send(_ message: EmailMessage) throws(SMTPError) {
        let bytes: [UInt8]
        do { bytes = try message.encoded() } catch { throw SMTPError(message: "cannot build the message: \(error)") }
        guard let curl = curl_easy_init() else { throw SMTPError(message: "curl_easy_init failed") }
        defer { curl_easy_cleanup(curl) }
        let recipients = curl_slist_append(nil, "<\(Self.address(message.to))>")
        defer { curl_slist_free_all(recipients) }
        let reader = Unmanaged.passRetained(BodyReader(bytes))
        defer { reader.release() }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            payrecon_curl_set_string(curl, CURLOPT_URL, url)
            payrecon_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(Self.address(message.from))>")
            payrecon_curl_set_list(curl, CURLOPT_MAIL_RCPT, recipients)
            payrecon_curl_set_long(curl, CURLOPT_UPLOAD, 1)
            payrecon_curl_set_long(curl, CURLOPT_USE_SSL, Int(requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
            payrecon_curl_set_long(curl, CURLOPT_TIMEOUT, timeoutSeconds)
            payrecon_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
            payrecon_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            if let caFile { payrecon_curl_set_string(curl, CURLOPT_CAINFO, caFile) }
            if let username { payrecon_curl_set_string(curl, CURLOPT_USERNAME, username) }
            if let password { payrecon_curl_set_string(curl, CURLOPT_PASSWORD, password) }
            payrecon_curl_set_read_function(curl) { target, size, count, context in
                guard let target, let context else { return 0 }
                return Unmanaged<BodyReader>.fromOpaque(context).takeUnretainedValue().read(into: target, capacity: size * count)
            }
            payrecon_curl_set_pointer(curl, CURLOPT_READDATA, reader.toOpaque())
            return curl_easy_perform(curl)
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw SMTPError(
                message: "SMTP \(Self.redacted(url)): \(String(cString: curl_easy_strerror(code)))"
                    + (detail.isEmpty ? "" : " (\(detail))"))
        }
    }

    /// `Name <a@b>` → `a@b`.
    static func address(_ text: String) -> String {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return text }
        return String(text[text.index(after: open)..<close])
    }

    /// A URL without any user:password part, for errors and logs.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex) else { return url }
        return String(url[..<scheme.upperBound]) + String(url[at.upperBound...])
    }
}

/// Hands the message to libcurl's read callback piece by piece.
final class BodyReader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into target: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(target).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

public struct SMTPError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
