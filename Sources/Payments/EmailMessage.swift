import Foundation

/// A MIME email: a plain-text body and attachments, encoded for SMTP (CRLF lines, base64
/// attachments wrapped at 76 columns, RFC 2047 encoded-words for non-ASCII headers).
public struct EmailMessage: Hashable, Sendable, Codable {
    public struct Attachment: Hashable, Sendable, Codable {
        public let filename: String
        public let contentType: String
        public let path: String
        public init(filename: String, contentType: String, path: String) {
            self.filename = filename; self.contentType = contentType; self.path = path
        }
    }

    public let from: String
    public let to: String
    public let subject: String
    public let body: String
    /// Attachments are read from disk when the message is sent, so the outbox row stays small.
    public let attachments: [Attachment]
    /// A stable Message-ID, so a retried send is recognisable as the same message.
    public let messageId: String

    public init(from: String, to: String, subject: String, body: String, attachments: [Attachment], messageId: String) {
        self.from = from; self.to = to; self.subject = subject; self.body = body; self.attachments = attachments; self.messageId = messageId
    }

    /// The whole message as sent.
    public func encoded(date: Date = Date()) throws -> [UInt8] {
        let boundary = "payrecon-" + messageId.filter { $0.isLetter || $0.isNumber }
        var text = ""
        text += "From: \(from)\r\nTo: \(to)\r\n"
        text += "Subject: \(Self.headerWord(subject))\r\n"
        text += "Date: \(Self.rfc5322(date))\r\n"
        text += "Message-ID: <\(messageId)>\r\nMIME-Version: 1.0\r\n"
        text += "Content-Type: multipart/mixed; boundary=\"\(boundary)\"\r\n\r\n"
        text += "--\(boundary)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        text += Self.wrapped(Data(body.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString())
        for attachment in attachments {
            let data = try Data(contentsOf: URL(fileURLWithPath: attachment.path))
            text += "--\(boundary)\r\nContent-Type: \(attachment.contentType); name=\"\(attachment.filename)\"\r\n"
            text += "Content-Disposition: attachment; filename=\"\(attachment.filename)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            text += Self.wrapped(data.base64EncodedString())
        }
        text += "--\(boundary)--\r\n"
        return Array(text.utf8)
    }

    static func wrapped(_ base64: String) -> String {
        var result = ""
        var line = Substring(base64)
        while !line.isEmpty {
            result += line.prefix(76) + "\r\n"
            line = line.dropFirst(76)
        }
        return result
    }

    /// ASCII stays as it is; anything else becomes `=?utf-8?B?…?=`.
    static func headerWord(_ text: String) -> String {
        text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 } ? text : "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
