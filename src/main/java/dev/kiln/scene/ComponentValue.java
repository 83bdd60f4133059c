package dev.kiln.scene;

import dev.kiln.ecs.ComponentSchema;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A component value written in the scene, encoded into the schema's little-endian bytes.
 * Entity fields name scene entities; their handles exist only once the scene is spawned, so
 * they are kept as references and written into the bytes by {@link #resolve}.
 */
public record ComponentValue(ComponentSchema schema, byte[] bytes, List<EntityRef> entityRefs) {

    /** An entity field at {@code offset} naming a scene entity. */
    public record EntityRef(int offset, String entityName) {}

    public ComponentValue {
        bytes = bytes.clone();
        entityRefs = List.copyOf(entityRefs);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes to store, with each entity field set to {@code handleOf(name)} (NULL when gone). */
    public byte[] resolve(ToLongFunction<String> handleOf) {
        byte[] out = bytes.clone();
        ByteBuffer b = schema.wrap(out);
        for (EntityRef ref : entityRefs) b.putLong(ref.offset(), handleOf.applyAsLong(ref.entityName()));
        return out;
    }
}
