/* A library that ends the process the moment it is loaded (a constructor calling _exit):
 * in-process it would take the engine with it; isolated, only its host ends. */
#include <unistd.h>
#include "kiln.h"

__attribute__((constructor)) static void leave(void) { _exit(7); }

const kiln_script_info* kiln_script_metadata(void) { return 0; }
kiln_status kiln_script_init(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
kiln_status kiln_script_update(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
kiln_status kiln_script_shutdown(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
