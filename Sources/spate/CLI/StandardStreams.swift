import Foundation

/// Unbuffered writes to stderr, which Swift's `print` cannot target without touching the global `stderr`.
enum StandardStreams {
    /// Writes `text` to stderr as is (add your own newline).
    static func writeError(_ text: String) {
        // A closed stderr leaves nowhere to report the failure, so it is dropped on purpose.
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
