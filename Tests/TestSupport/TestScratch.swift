import Foundation

/// One folder per test process under the temporary directory, removed when the process exits. Tests
/// put their stores (with their -wal and -shm files), CSVs, reports and payloads here: left loose in
/// /tmp, every `swift test` used to leave hundreds of them behind for good.
public enum TestScratch {
    public static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("payrecon-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.directory) }
        return url
    }()
}
