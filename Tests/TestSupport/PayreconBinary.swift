import Foundation

/// The package's root folder, from this file's place in it.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs the built `payrecon` executable as a user would, with its exit status and output.
public enum PayreconBinary {
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// `swift test` builds every product into .build/debug before it runs tests.
    public static var path: String { packageRoot.appendingPathComponent(".build/debug/payrecon").path }

    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "STRIPE_API_KEY")
        env.removeValue(forKey: "STRIPE_API_KEY_FILE")
        env.merge(environment) { _, new in new }
        return try CommandOutput.capture(path, arguments, environment: env)
    }

    /// Starts a long-running command (`sandbox`, `serve`) and waits for its "listening on
    /// 127.0.0.1:PORT" line. The caller terminates the process.
    public static func startServer(_ arguments: [String], environment: [String: String] = [:]) throws -> (process: Process, port: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        // Nobody reads stderr; a full pipe would block the server.
        process.standardError = FileHandle.nullDevice
        try process.run()
        var banner = ""
        while !banner.contains("listening on"), process.isRunning {
            banner += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }
        guard let port = banner.firstMatch(of: /127\.0\.0\.1:(\d+)/).flatMap({ Int($0.1) }) else {
            if process.isRunning { process.terminate() }
            throw ServerStartError(banner: banner)
        }
        return (process, port)
    }
}

public struct ServerStartError: Error, CustomStringConvertible {
    public let banner: String
    public var description: String { "the server did not announce a port; it printed \(banner.debugDescription)" }
}
