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
        summary.counts["balance_transactions"] = try load(root, "balance_transactions", BalanceTransaction.self, now: now) {
            .init(balanceTransactions: $0)
        }
        summary.counts["charges"] = try load(root, "charges", Charge.self, now: now) { .init(charges: $0) }
        summary.counts["refunds"] = try load(root, "refunds", Refund.self, now: now) { .init(refunds: $0) }
        summary.counts["disputes"] = try load(root, "disputes", Dispute.self, now: now) { .init(disputes: $0) }
        summary.counts["payouts"] = try load(root, "payouts", Payout.self, now: now) { .init(payouts: $0) }
        _ = try load(root, SnapshotWriter.compositionFile, BalanceTransaction.self, now: now) { .init(balanceTransactions: $0) }
        struct Link: Decodable {
            let payout: PayoutID
            let balanceTransactions: [BalanceTransactionID]
            enum CodingKeys: String, CodingKey {
                case payout
                case balanceTransactions = "balance_transactions"
            }
        }
        var links: [PayoutID: [BalanceTransactionID]] = [:]
        try lines(root, SnapshotWriter.linksFile) { (link: Link) in links[link.payout] = link.balanceTransactions }
        try store.saveLinks(links, at: now)
        summary.links = links.values.reduce(0) { $0 + $1.count }
        let objects = Dictionary(uniqueKeysWithValues: StripeExtractor.lists.map { ($0.list, $0.object) })
        var marks: [String: Int64] = [:]
        for window in manifest.windows { if let newest = window.newest, let object = objects[window.list] { marks[object] = newest } }
        try store.saveStripe(StripeAccountData(), watermarks: marks, at: now)
        return summary
    }

    /// Stores a file's objects a batch at a time; returns how many lines it had.
    private func load<T: Decodable>(
        _ root: URL, _ name: String, _ type: T.Type, now: Timestamp, _ wrap: ([T]) -> StripeAccountData
    ) throws -> Int {
        var pending: [T] = []
        var count = 0
        try lines(root, name) { (object: T) in
            pending.append(object)
            count += 1
            if pending.count == Self.batch {
                try store.saveStripe(wrap(pending), at: now)
                pending = []
            }
        }
        if !pending.isEmpty { try store.saveStripe(wrap(pending), at: now) }
        return count
    }

    /// Each line of `<name>.jsonl` decoded, read a megabyte at a time (a million orders' transactions are
    /// gigabytes); an undecodable line is named by file and line number.
    private func lines<T: Decodable>(_ root: URL, _ name: String, _ each: (T) throws -> Void) throws {
        let url = root.appendingPathComponent(name + ".jsonl")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let decoder = JSONDecoder()
        var number = 0
        var carry = Data()
        func decode(_ line: Data) throws {
            number += 1
            guard !line.isEmpty else { return }
            do { try each(try decoder.decode(T.self, from: line)) } catch let failure as Failure { throw failure } catch {
                throw Failure(description: "\(url.path):\(number): not a \(T.self): \(DecodingProblem.describe(error))")
            }
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            carry.append(chunk)
            var start = carry.startIndex
            while let newline = carry[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try decode(Data(carry[start..<newline]))
                start = carry.index(after: newline)
            }
            carry = Data(carry[start...])
        }
        if !carry.isEmpty { try decode(carry) }
    }
}
