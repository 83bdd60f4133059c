package dev.kiln;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, checked on the compiled engine classes: each layer
 * may use only the layers below it. The world (ecs) knows nothing of scripts or FFM; the wire
 * format (abi) knows nothing of loading native code (loader) or of the per-frame data the engine
 * shares with scripts (dataplane), and none of the three knows the runtime; the runtime (script)
 * knows nothing of the facade, scenes, reload or the inspector; only the front ends (cli, embed)
 * see everything.
 */
class PackageLayersTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kiln");

    @Test
    void noPackageDependsOnOneAboveIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().ensureAllClassesAreContainedInArchitecture()
                .layer("ecs").definedBy("dev.kiln.ecs..")
                .layer("build").definedBy("dev.kiln.build..")
                .layer("state").definedBy("dev.kiln.state..")
                .layer("abi").definedBy("dev.kiln.abi..")
                .layer("loader").definedBy("dev.kiln.loader..")
                .layer("dataplane").definedBy("dev.kiln.dataplane..")
                .layer("isolate").definedBy("dev.kiln.isolate..")
                .layer("script").definedBy("dev.kiln.script..")
                .layer("rewind").definedBy("dev.kiln.rewind..")
                .layer("engine").definedBy("dev.kiln.engine..")
                .layer("scene").definedBy("dev.kiln.scene..")
                .layer("replay").definedBy("dev.kiln.replay..")
                .layer("reload").definedBy("dev.kiln.reload..")
                .layer("inspector").definedBy("dev.kiln.inspector..")
                .layer("embed").definedBy("dev.kiln.embed..")
                .layer("cli").definedBy("dev.kiln.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("embed").mayNotBeAccessedByAnyLayer()
                .whereLayer("inspector").mayOnlyBeAccessedByLayers("embed", "cli")
                .whereLayer("reload").mayOnlyBeAccessedByLayers("inspector", "embed", "cli")
                .whereLayer("replay").mayOnlyBeAccessedByLayers("inspector", "embed", "cli")
                .whereLayer("scene").mayOnlyBeAccessedByLayers("replay", "inspector", "embed", "cli")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("rewind").mayOnlyBeAccessedByLayers("engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("script").mayOnlyBeAccessedByLayers("rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("isolate").mayOnlyBeAccessedByLayers("script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("dataplane").mayOnlyBeAccessedByLayers("isolate", "script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("loader").mayOnlyBeAccessedByLayers("dataplane", "isolate", "script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("abi").mayOnlyBeAccessedByLayers("loader", "dataplane", "isolate", "script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("state").mayOnlyBeAccessedByLayers("abi", "loader", "dataplane", "isolate", "script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("build").mayOnlyBeAccessedByLayers("abi", "loader", "dataplane", "isolate", "script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .whereLayer("ecs").mayOnlyBeAccessedByLayers("abi", "loader", "dataplane", "isolate", "script", "rewind", "engine", "scene", "replay", "reload", "inspector", "embed", "cli")
                .check(ENGINE);
    }
}
