import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Lets a child process end with its parent: `spate demo` starts its broker, driver and executors
/// with `SPATE_PARENT_PID` set, and each of them sends itself SIGTERM (its own clean stop) once that
/// parent is gone, so even a parent killed with SIGKILL leaves nothing running. Linux's
/// PR_SET_PDEATHSIG would do the same, but `prctl` is variadic and Swift cannot call it.
enum ParentWatch {
    /// The environment variable that names the parent to watch.
    static let variable = "SPATE_PARENT_PID"
    static let intervalMs: UInt32 = 250
    /// How long the clean stop may take once the parent is gone, before SIGKILL.
    static let stopGraceSeconds: UInt32 = 15

    /// Starts watching when the environment asks for it; does nothing otherwise.
    static func startIfAsked(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[variable], let parent = pid_t(text), parent > 1 else { return }
        // Orphaned before it even started: nothing worth a clean stop has happened yet.
        guard getppid() == parent else {
            kill(getpid(), SIGKILL)
            return
        }
        Thread {
            while getppid() == parent { usleep(intervalMs * 1_000) }
            kill(getpid(), SIGTERM)
            // Nobody is left to escalate: a clean stop that hangs (say, on a peer that is gone too)
            // must not keep the process alive.
            sleep(stopGraceSeconds)
            kill(getpid(), SIGKILL)
        }.start()
    }
}
