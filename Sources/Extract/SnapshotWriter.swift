import Core
import Foundation
import StripeAPI

/// Appends a pull's objects to a snapshot folder as they arrive (before their page is committed to the
/// store, so a page in the store is always in the snapshot; a page written and then fetched again after
/// a kill appears twice, which a loader takes once). `finish` writes the manifest.
final class SnapshotWriter: @unchecked Sendable {
    static let listFiles = PulledList.allCases.map(\.rawValue)
    static let linksFile = "payout_links"
    static let compositionFile = "payout_balance_transactions"

    let folder: URL
    private let lock = NSLock()
    private var handles: [String: FileHandle] = [:]
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(folder: String) throws {
        self.folder = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        for name in Self.listFiles + [Self.linksFile, Self.compositionFile] {
            let url = self.folder.appendingPathComponent(name + ".jsonl")
            if !FileManager.default.fileExists(atPath: url.path) { FileManager.default.createFile(atPath: url.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            handles[name] = handle
        }
    }

    /// A page's objects, one a line, from the response body as Stripe sent it.
    func append(page body: Data, to list: String) throws {
        let page = try JSONDecoder().decode(StripeList<JSONValue>.self, from: body)
        try write(page.data.map { try encoder.encode($0) }, to: list)
    }

    /// A payout's composition: its line in payout_links.jsonl and its transactions.
    func append(payout: PayoutID, transactions bodies: [Data]) throws {
        var ids: [String] = []
        var lines: [Data] = []
        for body in bodies {
            let page = try JSONDecoder().decode(StripeList<JSONValue>.self, from: body)
            for object in page.data {
                if case .object(let fields) = object, case .string(let id)? = fields["id"] { ids.append(id) }
                lines.append(try encoder.encode(object))
            }
        }
        try write(lines, to: Self.compositionFile)
        let link = JSONValue.object(["payout": .string(payout.rawValue), "balance_transactions": .array(ids.map { .string($0) })])
        try write([try encoder.encode(link)], to: Self.linksFile)
    }

    private func write(_ lines: [Data], to name: String) throws {
        var text = Data()
        for line in lines {
            text.append(line)
            text.append(UInt8(ascii: "\n"))
        }
        lock.lock()
        defer { lock.unlock() }
        try handles[name]!.write(contentsOf: text)
    }

    func finish(windows: [SnapshotManifest.Window]) throws {
        lock.lock()
        for handle in handles.values { try handle.synchronize(); try handle.close() }
        handles = [:]
        lock.unlock()
        let files = try (Self.listFiles + [Self.linksFile, Self.compositionFile]).map { name in
            let (hex, lines) = try SnapshotManifest.sha256(folder.appendingPathComponent(name + ".jsonl"))
            return SnapshotManifest.File(name: name + ".jsonl", lines: lines, sha256: hex)
        }
        let manifest = SnapshotManifest(stripeApiVersion: StripeVersion.pinned, windows: windows, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(to: folder.appendingPathComponent(SnapshotManifest.fileName))
    }
}
