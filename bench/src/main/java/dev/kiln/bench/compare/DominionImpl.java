package dev.kiln.bench.compare;

import dev.dominion.ecs.api.Dominion;
import dev.dominion.ecs.api.Entity;
import dev.dominion.ecs.api.Results;

/**
 * W1 in Dominion 0.9.0, a Java ECS: entities with a Position and a Mover component, one
 * system iterating every entity with both. Its own storage, not the engine's World.
 */
final class DominionImpl implements Impl {
    /** Mutable position component. */
    static final class Position {
        float x, y, z;

        Position(float x, float y, float z) {
            this.x = x;
            this.y = y;
            this.z = z;
        }
    }

    static {
        // Dominion prints a banner and its settings at INFO on every create.
        if (System.getProperty("dominion.show-banner") == null) System.setProperty("dominion.show-banner", "false");
        if (System.getProperty("dominion.logging-level") == null) System.setProperty("dominion.logging-level", "WARNING");
    }

    private final Dominion dominion = Dominion.create("kiln-compare");
    private final Entity[] entities;
    private final float[] offset = new float[3];

    DominionImpl(int n) {
        entities = new Entity[n];
        for (int i = 0; i < n; i++) {
            entities[i] = dominion.createEntity(new Position(CompareSupport.gridX(i, n), 0, CompareSupport.gridZ(i, n)),
                    new Logic.Mover(i));
        }
    }

    @Override
    public void frame() {
        float dt = CompareSupport.DT_F;
        float[] o = offset;
        for (Results.With2<Position, Logic.Mover> r : dominion.findEntitiesWith(Position.class, Logic.Mover.class)) {
            Logic.moverStep(r.comp2(), dt, o, 0);
            Position p = r.comp1();
            p.x += o[0];
            p.y += o[1];
            p.z += o[2];
        }
    }

    @Override
    public float[] positions() {
        float[] out = new float[entities.length * 3];
        for (int i = 0; i < entities.length; i++) {
            Position p = entities[i].get(Position.class);
            out[i * 3] = p.x;
            out[i * 3 + 1] = p.y;
            out[i * 3 + 2] = p.z;
        }
        return out;
    }

    @Override
    public void close() {
        dominion.close();
    }
}
