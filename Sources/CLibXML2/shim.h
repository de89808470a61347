// The parts of libxml2 Assay's readers use: the HTML parser (web pages) and the XML tree parser
// (the parts of DOCX and ODT files).
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, so its encoding header includes the system's ICU headers, whose
// declarations clash with the copy Foundation ships (_FoundationICU). Assay never touches the ICU
// converter fields of xmlCharEncodingHandler (only libxml2 itself does, through pointers), so the
// headers are read without them.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
