/**
 * Recording a run for rewind and replay: each frame's inputs with a hash of what it left
 * ({@link dev.kiln.rewind.Recorder}, {@link dev.kiln.rewind.Recording}), the recording as a
 * file, and what a divergence is reported in ({@link dev.kiln.rewind.WorldImage},
 * {@link dev.kiln.rewind.Divergence}). Below the engine facade: the engine calls the recorder at
 * the start and end of each frame, and the world never knows about it (it reports writes to an
 * observer, {@link dev.kiln.ecs.WorldWrites}, which the recorder installs between frames:
 * {@code HostWrites}). A game's physics handler is recorded through
 * {@link dev.kiln.rewind.Recorder#tapPhysics} and stood in for by
 * {@link dev.kiln.rewind.RecordedPhysics}. Re-simulating a recording is {@code dev.kiln.replay}.
 * See docs/rewind.md.
 */
package dev.kiln.rewind;
