#ifndef DIRECTORY_SCAN_H
#define DIRECTORY_SCAN_H

#include <stddef.h>

/// Reads the next entries of the open directory `descriptor` into `buffer` as Linux `dirent64`
/// records (getdents64): the number of bytes filled, 0 at the end, -1 with errno set.
/// Unlike opendir/readdir it needs no fstat and no path: the walk opens folders relative to their parent.
long directory_scan_read(int descriptor, void *buffer, size_t length);

#endif
