import Foundation

/// A Python test server from scripts/ (localstripe, the SMTP sink, the HTTP receiver), started on
/// 127.0.0.1 on a free port. It prints `PORT <n>` when it listens and exits when its stdin closes,
/// so it cannot outlive the test even when the test crashes; `stop()` also kills it outright.
public final class HelperProcess: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    public init(script: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        process = Process()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/\(script)").path] + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        // Helpers log to stderr; nobody reads it, and a full pipe would block them.
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = stdout.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw HelperProcessError(script: script, output: text)
        }
        self.port = port
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

public struct HelperProcessError: Error, CustomStringConvertible {
    public let script: String
    public let output: String
    public var description: String { "\(script) did not start (printed \(output.debugDescription)); is its Python package installed?" }
}
