package dev.kiln.script;

/**
 * Receives the transform requests of physics-driven entities at the barrier, in canonical order
 * (priority, then attach order, then posting order), interleaved with the applying of every
 * other request exactly where each would have been applied. Runs on the engine thread; it may
 * read and write the world.
 */
@FunctionalInterface
public interface PhysicsHandler {
    void onTransformRequest(TransformRequest request);
}
