import Core
import Crypto
import Foundation

/// Who may call the backend endpoints, by name: the configuration's named tokens, each kept as the
/// SHA-256 of the token (never the token itself; `payrecon token hash` makes one), and the shared
/// PAYRECON_API_TOKEN, named `backend`. Every request then has an actor for the audit log.
public struct APITokens: Sendable {
    public struct Named: Sendable, Codable, Hashable {
        public let name: String
        /// Hex SHA-256 of the token.
        public let sha256: String
        public init(name: String, sha256: String) { self.name = name; self.sha256 = sha256.lowercased() }
    }

    let named: [Named]
    let shared: String?

    public init(named: [Named], shared: String?) { self.named = named; self.shared = shared }

    public static func hash(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }

    /// The caller's name for an `Authorization: Bearer …` header, or nil. Every comparison runs in
    /// constant time, and all of them run, so timing says nothing about which one matched.
    func actor(authorization: String?) -> String? {
        guard let header = authorization, header.hasPrefix("Bearer ") else { return nil }
        let presented = String(header.dropFirst(7))
        var found: String?
        if let shared, ConstantTime.equal(Array(presented.utf8), Array(shared.utf8)) { found = "backend" }
        let digest = Array(Self.hash(presented).utf8)
        for token in named where ConstantTime.equal(digest, Array(token.sha256.utf8)) { found = found ?? "token:\(token.name)" }
        return found
    }
}
