/* A library missing the required kiln_script_update export: the engine must refuse it. */
#include "kiln.h"

static const char* const export_names[] = { KILN_EXPORT_INFO };
static const kiln_script_info info = {
    .abi_version = KILN_ABI_VERSION, .struct_version = 1, .struct_size = sizeof(kiln_script_info),
    .name = "no_update", .source_hash = "none", .state_size = 0, .state_align = 1,
    .export_count = 1, .exports = export_names,
};
const kiln_script_info* kiln_script_metadata(void) { return &info; }
kiln_status kiln_script_init(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
kiln_status kiln_script_shutdown(const kiln_frame* f, kiln_instance* i, uint32_t n) { (void)f; (void)i; (void)n; return KILN_OK; }
