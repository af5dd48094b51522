import Core
import Foundation
import Store

/// Loads a snapshot folder into a store instead of calling Stripe: what an auditor re-runs offline. The
/// manifest is checked first (a file that changed, is missing or has another line count is refused,
/// named), then every line is decoded as the object its file holds and stored in batches, the payout
/// links last, the watermarks as the pull left them.
public struct SnapshotLoader: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Summary: Sendable, Equatable {
        public var counts: [String: Int] = [:]
        public var links = 0
    }

    let store: PayreconStore
    public init(store: PayreconStore) { self.store = store }

    static let batch = 1_000

    public func load(_ folder: String, now: Timestamp) throws -> Summary {
        let root = URL(fileURLWithPath: folder)
        let manifestURL = root.appendingPathComponent(SnapshotManifest.fileName)
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw Failure(description: "\(folder): no \(SnapshotManifest.fileName); is it a folder `extract --snapshot-out` wrote?")
        }
        let manifest: SnapshotManifest
        do { manifest = try JSONDecoder().decode(SnapshotManifest.self, from: data) } catch {
            throw Failure(description: "\(manifestURL.path): not a snapshot manifest: \(DecodingProblem.describe(error))")
        }
        for file in manifest.files {
            let url = root.appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: url.path) else { throw Failure(description: "\(url.path): missing from the snapshot") }
            let (hex, lines) = try SnapshotManifest.sha256(url)
            guard hex == file.sha256, lines == file.lines else {
                throw Failure(description: "\(url.path): changed since the snapshot was taken (SHA-256 or line count differs from the manifest)")
            }
        }
        var summary = Summary()
        for list in PulledList.allCases { summary.counts[list.rawValue] = try load(root, list.rawValue, as: list, now: now) }
        _ = try load(root, SnapshotWriter.compositionFile, as: .balanceTransactions, now: now)
        struct Link: Decodable {
            let payout: PayoutID
            let balanceTransactions: [BalanceTransactionID]
            enum CodingKeys: String, CodingKey {
                case payout
                case balanceTransactions = "balance_transactions"
            }
        }
        var links: [PayoutID: [BalanceTransactionID]] = [:]
        let decoder = JSONDecoder()
        try lines(root, SnapshotWriter.linksFile) { line in
            let link = try decoder.decode(Link.self, from: line)
            links[link.payout] = link.balanceTransactions
        }
        try store.saveLinks(links, at: now)
        summary.links = links.values.reduce(0) { $0 + $1.count }
        var marks: [String: Int64] = [:]
        for window in manifest.windows {
            if let newest = window.newest, let list = PulledList(rawValue: window.list) { marks[list.object] = newest }
        }
        try store.saveStripe(StripeAccountData(), watermarks: marks, at: now)
        return summary
    }

    /// Stores a file's objects (each line one object of `list`) a batch at a time; returns how many it had.
    private func load(_ root: URL, _ name: String, as list: PulledList, now: Timestamp) throws -> Int {
        let decoder = JSONDecoder()
        var pending = StripeAccountData()
        var waiting = 0
        var count = 0
        try lines(root, name) { line in
            try list.append(line, to: &pending, decoder: decoder)
            count += 1
            waiting += 1
            if waiting == Self.batch {
                try store.saveStripe(pending, at: now)
                pending = StripeAccountData()
                waiting = 0
            }
        }
        if waiting > 0 { try store.saveStripe(pending, at: now) }
        return count
    }

    /// Each line of `<name>.jsonl`, read a megabyte at a time (a million orders' transactions are
    /// gigabytes); a line `each` cannot take is named by file and line number.
    private func lines(_ root: URL, _ name: String, _ each: (Data) throws -> Void) throws {
        let url = root.appendingPathComponent(name + ".jsonl")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var number = 0
        var carry = Data()
        func take(_ line: Data) throws {
            number += 1
            guard !line.isEmpty else { return }
            do { try each(line) } catch let failure as Failure { throw failure } catch {
                throw Failure(description: "\(url.path):\(number): not a \(name) object: \(DecodingProblem.describe(error))")
            }
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            carry.append(chunk)
            var start = carry.startIndex
            while let newline = carry[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try take(Data(carry[start..<newline]))
                start = carry.index(after: newline)
            }
            carry = Data(carry[start...])
        }
        if !carry.isEmpty { try take(carry) }
    }
}
