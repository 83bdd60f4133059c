package dev.kiln.rewind;

import dev.kiln.ecs.World;
import dev.kiln.ecs.WorldWrites;
import dev.kiln.script.PhysicsHandler;
import dev.kiln.script.TransformRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A game's physics handler as a recording run installs it: each request handed over is passed
 * on to the game's handler with the world's writes observed meanwhile, and noted with them as
 * the frame's physics ({@link FrameRecord.Handled}), so a replay without the game's code makes
 * the same writes at the same point of the barrier. While a live rewind re-simulates recorded
 * frames ({@link #replay}), it makes the recorded writes instead of calling the game (whose own
 * physics state was not rewound). Frame thread.
 */
final class PhysicsTap implements PhysicsHandler {
    private final PhysicsHandler game;
    private final World world;
    private final Recorder recorder;
    private final RecordedPhysics recorded;
    private boolean replaying;

    PhysicsTap(PhysicsHandler game, World world, Recorder recorder, RecordedPhysics recorded) {
        this.game = game;
        this.world = world;
        this.recorder = recorder;
        this.recorded = recorded;
    }

    /** Makes {@code frame}'s recorded physics writes in place of the game's handler (null: the game's handler again). */
    void replay(List<FrameRecord.Handled> frame) {
        replaying = frame != null;
        recorded.feed(frame == null ? List.of() : frame);
    }

    @Override
    public void onTransformRequest(TransformRequest request) {
        if (replaying) {
            FrameRecord.Handled h = recorded.take(request);
            if (h != null) recorder.notePhysics(h);
            return;
        }
        List<HostEdit> wrote = new ArrayList<>();
        WorldWrites was = world.observeWrites(new HostWrites(world, e -> HostWrites.addMerged(wrote, e)));
        try {
            game.onTransformRequest(request);
        } finally {
            world.observeWrites(was);
        }
        recorder.notePhysics(new FrameRecord.Handled(request.entity(), wrote));
    }
}
