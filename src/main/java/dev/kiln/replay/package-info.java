/**
 * Re-simulating a recording ({@link dev.kiln.replay.Replay}): the scene loaded with the recorded
 * library versions, rewound to any recorded frame, replayed forward with the code now built,
 * and the first divergence from the recorded hashes reported. Above scenes (it loads one); used
 * by the inspector and the command line. See docs/rewind.md.
 */
package dev.kiln.replay;
