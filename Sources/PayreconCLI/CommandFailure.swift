import ArgumentParser
import Core
import Foundation

/// Runs a command body; any error is printed to stderr once, plainly, and becomes exit code 2.
/// Usage errors (ValidationError) and explicit exit codes pass through untouched.
func failingWithExitCode2<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        FileHandle.standardError.write(Data("payrecon: error: \(CardNumberMask.mask(String(describing: error)))\n".utf8))
        throw ExitCode(2)
    }
}
