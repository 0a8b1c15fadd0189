#define _GNU_SOURCE
#include "directory_scan.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

long directory_scan_read(int descriptor, void *buffer, size_t length) {
#if defined(SYS_getdents64)
    return syscall(SYS_getdents64, descriptor, buffer, length);
#else
    errno = ENOSYS;
    return -1;
#endif
}
