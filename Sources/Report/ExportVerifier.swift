import Foundation

/// Checks an export folder against its manifest.json: every file listed must be there with the same
/// size and SHA-256, and nothing else may be (the manifest itself aside).
public enum ExportVerifier {
    public struct Outcome: Hashable, Sendable {
        public var changed: [String] = []
        public var missing: [String] = []
        public var added: [String] = []
        public var checked = 0
        public var intact: Bool { changed.isEmpty && missing.isEmpty && added.isEmpty }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func verify(_ directory: URL) throws(Failure) -> Outcome {
        let manifestURL = directory.appendingPathComponent(ExportManifest.fileName)
        let manifest: ExportManifest
        do { manifest = try ExportManifest.decode(Data(contentsOf: manifestURL)) } catch {
            throw Failure(
                description: "\(manifestURL.path): not an export's manifest (\(error is DecodingError ? "not its JSON" : "cannot read it"))")
        }
        guard manifest.format == ExportManifest.formatName else {
            throw Failure(description: "\(manifestURL.path): format '\(manifest.format)' (expected \(ExportManifest.formatName))")
        }
        let present: Set<String>
        do { present = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)).subtracting([ExportManifest.fileName]) } catch {
            throw Failure(description: "\(directory.path): cannot list the folder")
        }
        var outcome = Outcome()
        for file in manifest.files {
            guard present.contains(file.name) else {
                outcome.missing.append(file.name)
                continue
            }
            outcome.checked += 1
            let actual = try? ExportManifest.sha256(of: directory.appendingPathComponent(file.name))
            if actual?.hex != file.sha256 || actual?.bytes != file.bytes { outcome.changed.append(file.name) }
        }
        outcome.added = present.subtracting(manifest.files.map(\.name)).sorted()
        return outcome
    }
}
