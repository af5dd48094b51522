// glibc's malloc.h, for malloc_trim: Swift's Glibc module does not export it.
#include <malloc.h>
