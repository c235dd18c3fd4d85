import Wire

/// Why the driver refused a request or could not start.
public enum DriverError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The job's SQL does not compile; the compiler's full message (file:line:column and caret).
    case invalidSQL(String)
    /// The job name cannot be used.
    case invalidName(String)
    /// A job of that name is already running.
    case jobRunning(String)
    /// The checkpoint holds a job of that name with different SQL.
    case conflictingJob(name: String, directory: String)
    /// No job has that id.
    case unknownJob(String)
    /// The checkpoint could not be read or written.
    case checkpoint(CheckpointError)
    /// A listening socket could not be opened.
    case listen(String, PosixError)
    /// A listen address does not parse.
    case badAddress(String)

    /// One message for the user.
    public var description: String {
        switch self {
        case .invalidSQL(let message): message
        case .invalidName(let problem): problem
        case .jobRunning(let name): "job '\(name)' is already running; stop it first (spate stop \(name))"
        case .conflictingJob(let name, let directory):
            "a job named '\(name)' with different SQL is in the checkpoint (\(directory)); "
                + "choose another --name, or remove that directory to start over"
        case .unknownJob(let id): "no job named '\(id)'"
        case .checkpoint(let error): "\(error)"
        case .listen(let what, let error): "cannot listen for \(what): \(error)"
        case .badAddress(let problem): problem
        }
    }
}
