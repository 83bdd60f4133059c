package dev.kiln.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.ecs.ComponentPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component's policy in a scene: the object form {"fields": [...], "policy": "..."}. */
class ComponentPolicySceneTest {
    @TempDir
    Path dir;

    private Scene parse(String components) throws Exception {
        Path file = dir.resolve("scene.json");
        Files.writeString(file, """
                { "kiln_scene": 1, "components": %s, "entities": [] }
                """.formatted(components));
        return SceneLoader.parse(file);
    }

    @Test
    void theObjectFormDeclaresAPolicyAndTheArrayFormReplaces() throws Exception {
        Scene scene = parse("""
                { "health": {"fields": [{"name": "hp", "type": "f32"}, {"name": "max", "type": "f32"}], "policy": "merge"},
                  "armor": {"fields": [{"name": "value", "type": "i32"}], "policy": "keep"},
                  "speed": [{"name": "value", "type": "f32"}],
                  "mass": {"fields": [{"name": "kg", "type": "f32"}]} }""");
        assertThat(scene.components().get("health").policy()).isEqualTo(ComponentPolicy.MERGE);
        assertThat(scene.components().get("health").fields()).hasSize(2);
        assertThat(scene.components().get("armor").policy()).isEqualTo(ComponentPolicy.KEEP);
        assertThat(scene.components().get("speed").policy()).isEqualTo(ComponentPolicy.REPLACE);
        assertThat(scene.components().get("mass").policy()).isEqualTo(ComponentPolicy.REPLACE);
    }

    @Test
    void anUnknownPolicyIsNamedWithTheChoices() throws IOException {
        SceneException e = catchThrowableOfType(SceneException.class,
                () -> parse("{ \"health\": {\"fields\": [{\"name\": \"hp\", \"type\": \"f32\"}], \"policy\": \"mix\"} }"));
        assertThat(e.getMessage()).contains("components.health.policy").contains("unknown policy 'mix'")
                .contains("replace").contains("merge").contains("keep");
    }
}
