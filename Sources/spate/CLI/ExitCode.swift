/// The exit codes every spate command follows.
enum ExitCode {
    /// The command did what was asked, or printed help or the version.
    static let success: Int32 = 0
    /// The command was well formed but failed while running.
    static let failure: Int32 = 1
    /// The command line itself was wrong; nothing was run.
    static let usage: Int32 = 2
}
