// libharu (libhpdf-dev). Debian ships no .pc file for it, so the modulemap links "hpdf" itself.
#include <hpdf.h>
