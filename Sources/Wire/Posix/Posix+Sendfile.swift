#if canImport(Glibc)
    import Glibc
#endif

extension Posix {
    /// Sends up to `count` bytes of the file `fileFd` from `offset` to the socket `socketFd` with
    /// sendfile(2), straight from the page cache. `.processed(0)` means `offset` is at or past the
    /// end of the file; `.wouldBlock` that a non-blocking socket is full. Never raises SIGPIPE: a
    /// closed peer is a `PosixError` (EPIPE or ECONNRESET).
    public static func sendfile(_ socketFd: Int32, from fileFd: Int32, offset: Int64, count: Int) throws(PosixError)
        -> IOResult
    {
        // sendfile has no MSG_NOSIGNAL: block SIGPIPE around it and take back the one a closed peer raises.
        var pipeOnly = sigpipeSet()
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
        let wasBlocked = sigismember(&previous, SIGPIPE) == 1
        defer {
            if !wasBlocked {
                // Anything raised while blocked would be delivered the moment it is unblocked.
                discardPendingSIGPIPE(&pipeOnly)
                pthread_sigmask(SIG_SETMASK, &previous, nil)
            }
        }
        var position = off_t(offset)
        while true {
            let result = Glibc.sendfile(socketFd, fileFd, &position, count)
            if result >= 0 { return .processed(result) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default:
                // A thread that blocks SIGPIPE for good still must not collect pending ones forever.
                if code == EPIPE && wasBlocked { discardPendingSIGPIPE(&pipeOnly) }
                throw PosixError(call: "sendfile", errno: code)
            }
        }
    }

    /// Blocks SIGPIPE on the calling thread for the rest of its life (threads it starts inherit
    /// that), so `sendfile` on it skips unblocking and re-blocking the signal around every call.
    public static func blockSIGPIPEOnThisThread() {
        var pipeOnly = sigpipeSet()
        pthread_sigmask(SIG_BLOCK, &pipeOnly, nil)
    }

    /// The signal set holding SIGPIPE alone.
    private static func sigpipeSet() -> sigset_t {
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        return pipeOnly
    }

    /// Accepts a SIGPIPE pending on this thread (blocked), if any, without waiting.
    private static func discardPendingSIGPIPE(_ pipeOnly: inout sigset_t) {
        var noWait = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&pipeOnly, nil, &noWait) == SIGPIPE {}
    }
}
