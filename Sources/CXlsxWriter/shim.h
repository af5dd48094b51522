#ifndef PAYRECON_CXLSXWRITER_SHIM_H
#define PAYRECON_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
