import Foundation
import TestSupport
import Testing

/// `payrecon token hash` reads the token from standard input (never argv) and prints what serve's
/// `api_tokens` keeps: the same SHA-256 coreutils computes.
@Suite struct TokenCommandTests {
    static func hash(_ input: String) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PayreconBinary.path)
        process.arguments = ["token", "hash"]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        stdin.fileHandleForWriting.closeFile()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func theHashIsTheTokensSHA256() throws {
        let token = "ana-token-0123456789abcdef"
        let ours = try Self.hash(token + "\n")
        #expect(ours.status == 0)
        let reference = try CommandOutput.run(["sh", "-c", "printf %s '\(token)' | sha256sum"]).split(separator: " ").first.map(String.init)
        #expect(ours.stdout == reference)
        #expect(try Self.hash("short").status == 64)
    }
}
