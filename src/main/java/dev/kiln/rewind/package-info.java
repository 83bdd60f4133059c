/**
 * Rewind, fix, replay: recording a run's inputs with a hash of every frame
 * ({@link dev.kiln.rewind.Recorder}, {@link dev.kiln.rewind.Recording}), re-simulating it in a
 * fresh engine to any recorded frame with the libraries it ran ({@link dev.kiln.rewind.Replay}),
 * replaying forward with the code now built and reporting the first divergence
 * ({@link dev.kiln.rewind.Divergence}). The world never knows about any of it: the engine calls
 * the recorder at the start and end of each frame. See docs/rewind.md.
 */
package dev.kiln.rewind;
