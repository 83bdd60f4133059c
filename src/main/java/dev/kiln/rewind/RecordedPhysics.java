package dev.kiln.rewind;

import dev.kiln.ecs.World;
import dev.kiln.script.PhysicsHandler;
import dev.kiln.script.ScriptRuntime;
import dev.kiln.script.TransformRequest;
import java.util.List;

/**
 * A physics handler that makes the writes a recorded run's handler made ({@link FrameRecord#physics})
 * instead of running the game's code, which a replay does not have: fed each frame's handled
 * requests before the frame, it takes them in order as the barriers hand the same requests
 * over. A request that is not the recorded one (another entity, or more requests than were
 * recorded) means the run has left the recording: nothing more is made that frame, and
 * {@link #finish} says so. Frame thread.
 */
public final class RecordedPhysics implements PhysicsHandler {
    private final World world;
    private final ScriptRuntime scripts;
    private List<FrameRecord.Handled> handled = List.of();
    private int next;
    /** How this frame left the recording, or null. */
    private String left;

    public RecordedPhysics(World world, ScriptRuntime scripts) {
        this.world = world;
        this.scripts = scripts;
    }

    /** Before a frame: the requests it handed to the physics handler when recorded, in order. */
    public void feed(List<FrameRecord.Handled> frame) {
        handled = frame;
        next = 0;
        left = null;
    }

    @Override
    public void onTransformRequest(TransformRequest request) {
        take(request);
    }

    /** Makes the recorded writes for {@code request}; returns what was made, or null when the run left the recording. */
    FrameRecord.Handled take(TransformRequest request) {
        if (left != null) return null;
        if (next >= handled.size() || handled.get(next).entity() != request.entity()) {
            left = "the physics handler was handed a request for entity " + request.entity() + " where the recording "
                    + (next >= handled.size() ? "handed no more" : "handed one for entity " + handled.get(next).entity());
            return null;
        }
        FrameRecord.Handled h = handled.get(next++);
        for (HostEdit write : h.writes()) {
            String refused = write.apply(world, scripts);
            if (refused != null) {
                left = "the physics handler's recorded write '" + write.encode() + "' cannot be made again: " + refused;
                return null;
            }
        }
        return h;
    }

    /** After the frame: null when every recorded request was handed over and made, else how the run left the recording. */
    public String finish() {
        if (left == null && next < handled.size()) {
            left = "the recording handed " + handled.size() + " requests to the physics handler, this run " + next;
        }
        String why = left;
        feed(List.of());
        return why;
    }
}
