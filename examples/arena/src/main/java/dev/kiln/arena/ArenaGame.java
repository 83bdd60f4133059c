package dev.kiln.arena;

import com.badlogic.gdx.ApplicationAdapter;
import com.badlogic.gdx.Gdx;
import com.badlogic.gdx.graphics.Color;
import com.badlogic.gdx.graphics.GL20;
import com.badlogic.gdx.graphics.OrthographicCamera;
import com.badlogic.gdx.graphics.Pixmap;
import com.badlogic.gdx.graphics.PixmapIO;
import com.badlogic.gdx.graphics.g2d.BitmapFont;
import com.badlogic.gdx.graphics.g2d.SpriteBatch;
import com.badlogic.gdx.graphics.glutils.ShapeRenderer;
import dev.kiln.embed.Kiln;
import dev.kiln.embed.KilnConfig;
import dev.kiln.embed.KilnException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The game: libGDX owns the window and the loop; each frame it hands the keyboard to Kiln as
 * input, steps the engine, copies the transforms of players, enemies and bullets into its own
 * arrays and draws them. All gameplay (moving, chasing, shooting, scoring) is in scripts/.
 */
final class ArenaGame extends ApplicationAdapter {
    static final Color BACKGROUND = new Color(0.08f, 0.08f, 0.1f, 1);
    static final Color FLOOR = new Color(0.16f, 0.17f, 0.2f, 1);
    static final Color PLAYER = new Color(0.2f, 0.9f, 0.3f, 1);
    static final Color ENEMY = new Color(0.95f, 0.2f, 0.2f, 1);
    static final Color BULLET = new Color(1f, 0.85f, 0.2f, 1);
    /** One fixed step per rendered frame: the same game at any frame rate (scene's fixed_dt). */
    static final double STEP_SECONDS = 1 / 60.0;

    private final ArenaOptions options;
    private Kiln kiln;
    private OrthographicCamera camera;
    private ShapeRenderer shapes;
    private SpriteBatch batch;
    private BitmapFont font;
    private final float[] players = new float[3 * Arena.DRAWN_MAX];
    private final float[] enemies = new float[3 * Arena.DRAWN_MAX];
    private final float[] bullets = new float[3 * Arena.DRAWN_MAX];
    private int score;
    private long frame;
    /** Setting up Kiln failed (said on stderr): the process exits with 1. */
    private boolean failed;

    boolean failed() {
        return failed;
    }

    ArenaGame(ArenaOptions options) {
        this.options = options;
    }

    @Override
    public void create() {
        KilnConfig config = KilnConfig.defaults().withBuildDir(options.buildDir())
                .withHotReload(options.development()).withInspector(options.development());
        try {
            kiln = Kiln.create(config);
            kiln.loadScene(options.scene());
        } catch (KilnException e) {
            System.err.println("arena: " + e.getMessage());
            if (kiln != null) kiln.close();
            kiln = null;
            failed = true;
            Gdx.app.exit();
            return;
        }
        if (kiln.inspectorUrl() != null) System.out.println("arena: inspector at " + kiln.inspectorUrl());
        if (kiln.reloads() != null) System.out.println("arena: hot reload on: save a script in scripts/ while it runs");
        kiln.onSignal("score", s -> score = s.payloadBuffer().getInt(0));
        camera = new OrthographicCamera();
        camera.setToOrtho(false, 2 * Arena.HALF_WIDTH, 2 * Arena.HALF_HEIGHT);
        camera.position.set(0, 0, 0);
        camera.update();
        shapes = new ShapeRenderer();
        batch = new SpriteBatch();
        font = new BitmapFont();
    }

    @Override
    public void render() {
        if (kiln == null) return;
        if (options.scripted()) ScriptedInput.apply(kiln.input(), frame);
        else KeyboardInput.apply(kiln.input());
        kiln.step(STEP_SECONDS);
        int nPlayers = Math.min(Arena.DRAWN_MAX, kiln.transforms().copyPositions("player", players, null));
        int nEnemies = Math.min(Arena.DRAWN_MAX, kiln.transforms().copyPositions("enemy", enemies, null));
        int nBullets = Math.min(Arena.DRAWN_MAX, kiln.transforms().copyPositions("bullet", bullets, null));
        draw(nPlayers, nEnemies, nBullets);
        frame++;
        if (options.frames() > 0 && frame == options.frames()) {
            if (options.screenshot() != null) saveScreenshot(options.screenshot());
            report(nPlayers, nEnemies, nBullets);
            Gdx.app.exit();
        }
    }

    private void draw(int nPlayers, int nEnemies, int nBullets) {
        Gdx.gl.glClearColor(BACKGROUND.r, BACKGROUND.g, BACKGROUND.b, 1);
        Gdx.gl.glClear(GL20.GL_COLOR_BUFFER_BIT);
        shapes.setProjectionMatrix(camera.combined);
        shapes.begin(ShapeRenderer.ShapeType.Filled);
        shapes.setColor(FLOOR);
        shapes.rect(-Arena.HALF_WIDTH + 0.25f, -Arena.HALF_HEIGHT + 0.25f, 2 * Arena.HALF_WIDTH - 0.5f,
                2 * Arena.HALF_HEIGHT - 0.5f);
        squares(bullets, nBullets, Arena.BULLET_SIZE, BULLET);
        squares(enemies, nEnemies, Arena.ENEMY_SIZE, ENEMY);
        squares(players, nPlayers, Arena.PLAYER_SIZE, PLAYER);
        shapes.end();
        batch.getProjectionMatrix().setToOrtho2D(0, 0, Gdx.graphics.getWidth(), Gdx.graphics.getHeight());
        batch.begin();
        font.draw(batch, "score " + score, 12, Gdx.graphics.getHeight() - 12);
        batch.end();
    }

    private void squares(float[] xyz, int n, float size, Color color) {
        shapes.setColor(color);
        for (int k = 0; k < n; k++) shapes.rect(xyz[3 * k] - size / 2, xyz[3 * k + 1] - size / 2, size, size);
    }

    /** The frame just drawn, as a PNG (read before the buffer swap; GL's rows run bottom-up: flipped upright). */
    private static void saveScreenshot(Path file) {
        Pixmap pixmap = Pixmap.createFromFrameBuffer(0, 0, Gdx.graphics.getBackBufferWidth(),
                Gdx.graphics.getBackBufferHeight());
        PixmapIO.writePNG(Gdx.files.absolute(file.toAbsolutePath().toString()), pixmap,
                java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        pixmap.dispose();
    }

    /** What the test compares the screenshot with: the positions the engine reports. */
    private void report(int nPlayers, int nEnemies, int nBullets) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < nPlayers; k++) line(b, "player", players, k);
        for (int k = 0; k < nEnemies; k++) line(b, "enemy", enemies, k);
        b.append(String.format(Locale.ROOT, "report frames %d score %d bullets %d%n", frame, score, nBullets));
        System.out.print(b);
        System.out.flush();
    }

    private static void line(StringBuilder b, String kind, float[] xyz, int k) {
        b.append(String.format(Locale.ROOT, "report %s %.4f %.4f%n", kind, xyz[3 * k], xyz[3 * k + 1]));
    }

    @Override
    public void dispose() {
        if (kiln != null) kiln.close();
        if (shapes != null) shapes.dispose();
        if (batch != null) batch.dispose();
        if (font != null) font.dispose();
    }
}
