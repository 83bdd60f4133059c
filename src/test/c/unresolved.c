/* A library that needs a symbol nothing provides: the dynamic loader refuses it. */
#include "kiln.h"

extern void kiln_test_symbol_nobody_defines(void);

const kiln_script_info* kiln_script_metadata(void) { kiln_test_symbol_nobody_defines(); return 0; }
kiln_status kiln_script_init(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
kiln_status kiln_script_update(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
kiln_status kiln_script_shutdown(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
