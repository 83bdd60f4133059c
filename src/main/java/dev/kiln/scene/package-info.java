/**
 * Scenes and prefabs as JSON files.
 *
 * <h2>Format (version 1)</h2>
 * <pre>{@code
 * {
 *   "kiln_scene": 1,                                          required: the format version
 *   "settings":   { "cell_size": 4.0, "fixed_dt": 0.0166667 }, optional; these are the defaults
 *   "scripts":    { "mover": "scripts/mover.zig", "turret": "scripts/turret.c",
 *                   "untrusted": { "source": "scripts/untrusted.zig", "isolated": true } },
 *   "components": { "health": [ {"name": "hp", "type": "f32"}, {"name": "max", "type": "f32"} ] },
 *   "prefabs":    { "bullet": { "tags": ["bullet"], "velocity": [0, 0, -10],
 *                               "components": {"health": {"hp": 1, "max": 1}},
 *                               "vars": {"damage": 2.0},
 *                               "scripts": [ {"script": "mover", "priority": 0, "phase": "update"} ] } },
 *   "entities": [
 *     { "name": "player", "prefab": "ship", "position": [0, 0, 0], "rotation": [0, 0, 0, 1],
 *       "scale": [1, 1, 1], "velocity": [0, 0, 0], "tags": ["player"],
 *       "components": {"health": {"hp": 10, "max": 10}},
 *       "vars": {"speed": 3.5, "lives": {"i64": 3}, "armed": true, "home": [0, 0, 0]},
 *       "scripts": [ {"script": "mover", "priority": 0, "phase": "update"} ] }
 *   ]
 * }
 * }</pre>
 * <ul>
 *   <li>Script paths are relative to the scene file's directory; {@code .zig} files are built
 *       with the SDK, {@code .c} files with {@code zig cc}. A script's key is its name: the file
 *       name without extension (and the library must not declare another name). The object
 *       form with {@code "isolated": true} runs the script in a host process of its own.</li>
 *   <li>{@code "request_quota"} (bytes of requests per instance and phase; in "settings" for all
 *       of the scene's scripts, in a script's object form for that script) overrides the
 *       engine's default request quota (docs/reliability.md, "Request quota").</li>
 *   <li>{@code "seed"} in "settings" (an integer from 0 to 2^64-1) is what scripts'
 *       {@code ctx.random()} mixes; without it the engine's fixed default, so runs replay
 *       (docs/scripting.md, "Determinism and replay").</li>
 *   <li>Component field types: bool, i32, u32, i64, u64, f32, f64, vec3, entity; laid out like a
 *       Zig/C extern struct. In values, a missing field is 0; an entity field is null or the
 *       name of one entity of this scene.</li>
 *   <li>Vars: a number is an f64, {@code {"i64": n}} an i64, true/false a bool, [x, y, z] a vec3.</li>
 *   <li>Every entity key is optional. With "prefab", the entity starts from the prefab's body:
 *       its tags and scripts are added to the prefab's, its components and vars replace those
 *       of the same name, its velocity replaces the prefab's. Prefabs have no name, prefab or
 *       transform keys: the transform is given where they are spawned.</li>
 *   <li>Attachments: "priority" defaults to 0 (lower runs first), "phase" to the script's own
 *       default (pre_update, update or post_update).</li>
 *   <li>Unknown keys and duplicate keys are errors everywhere, so a typo is never ignored.
 *       Names (tags, var keys, scripts, prefabs, components) are 1 to 64 bytes of UTF-8.
 *       Entity names are unique in a scene (reports show them beside the handle).</li>
 *   <li>{@code fixed_dt} is finite, greater than 0 and at most 1 second
 *       ({@link dev.kiln.engine.FrameTime}). A scale that is not positive on every axis loads
 *       with a located warning ({@link dev.kiln.scene.Scene#warnings}).</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Every problem is a {@link dev.kiln.scene.SceneException} naming file, line, column and field
 * path (JSON syntax errors too, in JSON's terms rather than the parser's: {@link
 * dev.kiln.scene.JsonSyntaxText}), formatted like a compiler's:
 * {@code demo/scene.json:14:18: entities[2].scripts[0].phase: unknown phase 'updte' (expected
 * pre_update, update or post_update)}. Scripts that do not compile are all reported, each at
 * its entry in "scripts", followed by the compiler's own file:line:col diagnostics.
 *
 * <h2>Loading</h2>
 * {@link dev.kiln.scene.SceneLoader#parse} validates without an engine;
 * {@link dev.kiln.scene.SceneLoader#load} builds, loads and spawns all or nothing.
 */
package dev.kiln.scene;
