import Foundation
import NIOSSL
import PostgresNIO

/// A connection string as the environment holds it (never argv): `postgres://user:password@host:port/database`,
/// read for both of payrecon's PostgreSQL uses (a ledger source, the payments tables of `serve`).
/// TLS as libpq's `sslmode` says: `prefer` (the default: TLS when the server offers it), `disable`,
/// `require` (TLS, the certificate not checked), `verify-ca` (signed by a trusted root) or
/// `verify-full` (and issued for the host); `sslrootcert=FILE` names the roots (else the system's).
public enum PostgresURL {
    /// Why a connection string was refused, in words that never repeat it (it may hold a password).
    public struct Refusal: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public static func configuration(_ text: String) throws(Refusal) -> PostgresConnection.Configuration {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw Refusal(reason: "not a postgres:// URL")
        }
        guard let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty else { throw Refusal(reason: "no host or user") }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let parameters = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { $1 }
        let tls: PostgresConnection.Configuration.TLS
        do { tls = try Self.tls(mode: parameters["sslmode"] ?? "prefer", rootCertificate: parameters["sslrootcert"]) } catch let why as Refusal {
            throw why
        } catch {
            throw Refusal(reason: "TLS cannot be set up: \(error)")
        }
        return PostgresConnection.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database.isEmpty ? nil : database, tls: tls)
    }

    static func tls(mode: String, rootCertificate: String?) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate {
            guard FileManager.default.isReadableFile(atPath: rootCertificate) else {
                throw Refusal(reason: "sslrootcert '\(rootCertificate)' cannot be read")
            }
            configuration.trustRoots = .file(rootCertificate)
        }
        switch mode {
        case "disable": return .disable
        case "allow", "prefer":
            configuration.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: configuration))
        case "require":
            configuration.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: configuration))
        case "verify-ca":
            configuration.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: configuration))
        case "verify-full":
            configuration.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: configuration))
        default:
            throw Refusal(reason: "sslmode '\(mode)' is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
    }
}
