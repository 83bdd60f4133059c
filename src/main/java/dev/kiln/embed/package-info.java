/**
 * Kiln embedded in a Java game: {@link dev.kiln.embed.Kiln} (create, load, step, read, signal),
 * {@link dev.kiln.embed.Input} (what scripts read with {@code ctx.input()}),
 * {@link dev.kiln.embed.Transforms} (bulk reads for rendering). Guide: docs/embedding.md.
 */
package dev.kiln.embed;
