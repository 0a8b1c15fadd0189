#if canImport(Glibc)
import Glibc
#endif

enum System {
    /// Cores online; the checker runs one worker per core.
    static var activeProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
