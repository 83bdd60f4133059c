package dev.kiln.script;

import dev.kiln.ecs.Quat;
import dev.kiln.ecs.RotationSpace;
import dev.kiln.ecs.Vec3;

/**
 * A script's transform request on a physics-driven entity, handed to the {@link PhysicsHandler}
 * at the barrier instead of applied (see {@link ScriptRuntime#setPhysicsHandler}). Its values
 * are the decoded record's, not yet checked for finiteness: the handler decides what to do.
 *
 * @param kind     what was asked
 * @param entity   the target (a pending handle already resolved to the spawned entity)
 * @param vector   SET_POSITION/TRANSLATE/SET_SCALE/SET_VELOCITY: the value; LOOK_AT: the point; else null
 * @param rotation SET_ROTATION/ROTATE: the rotation (an Euler form converted); else null
 * @param space    ROTATE: the axes it turns about (the original ROTATE record: WORLD); else null
 * @param up       LOOK_AT: the up hint; else null
 * @param script   name of the posting script
 * @param instance id of the posting instance
 */
public record TransformRequest(Kind kind, long entity, Vec3 vector, Quat rotation, RotationSpace space, Vec3 up,
                               String script, int instance) {

    /** The transform requests a script can post. */
    public enum Kind { SET_POSITION, TRANSLATE, SET_SCALE, SET_VELOCITY, SET_ROTATION, ROTATE, LOOK_AT }
}
