import Foundation

/// A PostgreSQL server of the test's own (scripts/postgres_server.py: Debian's binaries, a new
/// cluster in a temporary folder, 127.0.0.1 and a free port, trust authentication for `postgres`).
/// It stops, and its folder goes, when `stop()` runs or the test process ends.
public final class PostgresServer: @unchecked Sendable {
    private let helper: HelperProcess
    private let psqlPath: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `tlsCertificate`: TLS on, the server's new self-signed certificate (for 127.0.0.1) written there.
    public init(tlsCertificate: String? = nil) throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.compactMap(Int.init).max() else {
            throw Failure(description: "PostgreSQL is not installed (scripts/install-deps.sh --test installs it)")
        }
        psqlPath = "/usr/lib/postgresql/\(version)/bin/psql"
        helper = try HelperProcess(script: "postgres_server.py", arguments: tlsCertificate.map { ["--tls", $0] } ?? [])
    }

    public var port: Int { helper.port }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    public func stop() { helper.stop() }

    /// A new empty database: its URL and name (tests that share one server keep apart this way).
    public func freshDatabase() throws -> (url: String, name: String) {
        let name = "payrecon_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try psql("CREATE DATABASE \(name)")
        return ("postgres://postgres@127.0.0.1:\(port)/\(name)", name)
    }

    /// Runs SQL through psql (as the client it is: files named in \copy are read by this process).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let done = try CommandOutput.capture(
            psqlPath, ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql])
        guard done.status == 0 else { throw Failure(description: "psql failed: \(done.stderr)") }
        return done.stdout
    }

    /// A port nothing listens on now (the kernel's pick for a socket bound to port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
