package dev.kiln.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ecs.Status;
import dev.kiln.testing.TestEngine;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The header is the contract: every size and offset it asserts (its _Static_assert lines, which
 * the C compiler checks) must match the Java layouts.
 */
class LayoutsTest {
    private static final Map<String, StructLayout> JAVA = new LinkedHashMap<>();

    static {
        JAVA.put("kiln_entity_row", Layouts.ENTITY_ROW);
        JAVA.put("kiln_tag_bucket", Layouts.TAG_BUCKET);
        JAVA.put("kiln_component_table", Layouts.COMPONENT_TABLE);
        JAVA.put("kiln_var_entry", Layouts.VAR_ENTRY);
        JAVA.put("kiln_spawn_result", Layouts.SPAWN_RESULT);
        JAVA.put("kiln_spatial_grid", Layouts.SPATIAL_GRID);
        JAVA.put("kiln_snapshot", Layouts.SNAPSHOT);
        JAVA.put("kiln_command_buffer", Layouts.COMMAND_BUFFER);
        JAVA.put("kiln_command_header", Layouts.COMMAND_HEADER);
        JAVA.put("kiln_cmd_spawn", Layouts.CMD_SPAWN);
        JAVA.put("kiln_instance", Layouts.INSTANCE);
        JAVA.put("kiln_signal", Layouts.SIGNAL);
        JAVA.put("kiln_signal_delivery", Layouts.SIGNAL_DELIVERY);
        JAVA.put("kiln_signal_entry", Layouts.SIGNAL_ENTRY);
        JAVA.put("kiln_signal_outcome", Layouts.SIGNAL_OUTCOME);
        JAVA.put("kiln_signal_batch", Layouts.SIGNAL_BATCH);
        JAVA.put("kiln_lane_delivery", Layouts.LANE_DELIVERY);
        JAVA.put("kiln_frame", Layouts.FRAME);
        JAVA.put("kiln_own_transform", Layouts.OWN_TRANSFORM);
        JAVA.put("kiln_lane_signal", Layouts.LANE_SIGNAL);
        JAVA.put("kiln_lane_part", Layouts.LANE_PART);
        JAVA.put("kiln_signal_lane", Layouts.SIGNAL_LANE);
        JAVA.put("kiln_position_entry", Layouts.POSITION_ENTRY);
        JAVA.put("kiln_field_info", Layouts.FIELD_INFO);
        JAVA.put("kiln_script_info", Layouts.SCRIPT_INFO);
        JAVA.put("kiln_handle", Layouts.HANDLE);
        JAVA.put("kiln_block", Layouts.BLOCK);
        JAVA.put("kiln_heap", Layouts.HEAP);
        for (StructLayout record : CommandRecords.ALL) JAVA.put(record.name().orElseThrow(), record);
    }

    /** C struct name → its Java layout, for every struct the engine lays out. */
    static Map<String, StructLayout> javaLayouts() {
        return JAVA;
    }

    /** A StructLayout added to Layouts but left out of JAVA would never be checked: none is. */
    @Test
    void everyLayoutsStructIsChecked() throws Exception {
        int found = 0;
        for (java.lang.reflect.Field f : Layouts.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) || !(f.get(null) instanceof StructLayout layout)) continue;
            assertThat(JAVA.values()).as("Layouts.%s is in LayoutsTest.JAVA", f.getName()).anyMatch(l -> l == layout);
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(22);
    }

    private static String header() throws Exception {
        return Files.readString(TestEngine.home().resolve("abi/kiln.h"));
    }

    @Test
    void everyStructSizeAssertedByTheHeaderMatchesTheJavaLayout() throws Exception {
        Matcher m = Pattern.compile("_Static_assert\\(sizeof\\((\\w+)\\) == (\\d+)").matcher(header());
        int checked = 0;
        while (m.find()) {
            StructLayout layout = JAVA.get(m.group(1));
            if (layout == null) continue; // a struct no Java code lays out
            assertThat(layout.byteSize()).as(m.group(1)).isEqualTo(Long.parseLong(m.group(2)));
            checked++;
        }
        assertThat(checked).isEqualTo(JAVA.size());
    }

    @Test
    void offsetsAssertedByTheHeaderMatch() throws Exception {
        Matcher m = Pattern.compile("_Static_assert\\(offsetof\\((\\w+), (\\w+)\\) == (\\d+)").matcher(header());
        int checked = 0;
        while (m.find()) {
            StructLayout layout = JAVA.get(m.group(1));
            assertThat(Layouts.offset(layout, m.group(2))).as(m.group(1) + "." + m.group(2))
                    .isEqualTo(Long.parseLong(m.group(3)));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    /**
     * Each kind's record struct is the one kiln.h documents for it: the comment above each
     * kiln_cmd_* struct starts with the kinds that use it ("SET_POSITION, TRANSLATE, ...: ").
     * Every kind's layout is itself checked field by field (AbiMirrorTest) and by size (above).
     */
    @Test
    void eachKindUsesTheRecordStructTheHeaderDocumentsForIt() throws Exception {
        Matcher m = Pattern.compile("/\\*\\s*([A-Z_, ]+?)\\s*[:.(][^/]*?\\*/\\s*(?:#define[^\\n]*\\n)?typedef struct (kiln_cmd_\\w+)")
                .matcher(header());
        Map<CommandKind, String> documented = new EnumMap<>(CommandKind.class);
        while (m.find()) {
            for (String kind : m.group(1).split(",\\s*")) documented.put(CommandKind.valueOf(kind.strip()), m.group(2));
        }
        for (var e : documented.entrySet()) {
            assertThat(e.getKey().record.name()).as("%s's record struct", e.getKey()).contains(e.getValue());
        }
        // DESPAWN is the header alone; REMOVE_COMPONENT is named in kiln_cmd_component's comment text
        assertThat(documented).hasSize(CommandKind.values().length - 2);
        assertThat(CommandKind.DESPAWN.record.name()).contains("kiln_command_header");
        assertThat(CommandKind.REMOVE_COMPONENT.record).isSameAs(CommandKind.ADD_COMPONENT.record);
    }

    @Test
    void commandKindCodesMatchTheHeader() throws Exception {
        Matcher m = Pattern.compile("#define KILN_CMD_(\\w+)\\s+(\\d+)").matcher(header());
        int checked = 0;
        while (m.find()) {
            assertThat(CommandKind.valueOf(m.group(1)).code).as(m.group(1)).isEqualTo(Integer.parseInt(m.group(2)));
            checked++;
        }
        assertThat(checked).isEqualTo(CommandKind.values().length);
    }

    @Test
    void statusCodesMatchTheHeader() throws Exception {
        Matcher m = Pattern.compile("#define KILN_(OK|ERR_\\w+)\\s+(\\d+)").matcher(header());
        int checked = 0;
        while (m.find()) {
            String name = m.group(1).replaceFirst("^ERR_", "");
            assertThat(Status.valueOf(name).code()).as(name).isEqualTo(Integer.parseInt(m.group(2)));
            checked++;
        }
        assertThat(checked).isEqualTo(Status.values().length);
    }
}
