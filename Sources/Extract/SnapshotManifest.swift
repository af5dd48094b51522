import Core
import Crypto
import Foundation

/// What a snapshot folder holds: every object of a pull as Stripe returned it, one JSON object a line
/// and one file per list (`balance_transactions.jsonl`, …), the payouts' compositions
/// (`payout_links.jsonl`: a payout and its transactions' ids a line; `payout_balance_transactions.jsonl`:
/// those transactions), and this manifest: the API version, each list's window, and every file's lines
/// and SHA-256, so a loader can refuse a folder that changed.
public struct SnapshotManifest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public let name: String
        public let lines: Int
        public let sha256: String
    }
    public struct Window: Codable, Sendable, Equatable {
        public let list: String
        public let createdGte: Int64?
        public let createdLt: Int64
        public let newest: Int64?
        enum CodingKeys: String, CodingKey {
            case list
            case createdGte = "created_gte"
            case createdLt = "created_lt"
            case newest
        }
    }

    public static let fileName = "manifest.json"
    public var format = "payrecon-snapshot/1"
    public let stripeApiVersion: String
    public let windows: [Window]
    public let files: [File]

    enum CodingKeys: String, CodingKey {
        case format
        case stripeApiVersion = "stripe_api_version"
        case windows, files
    }

    static func sha256(_ url: URL) throws -> (hex: String, lines: Int) {
        let data = try Data(contentsOf: url)
        let hex = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return (hex, data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) })
    }
}
