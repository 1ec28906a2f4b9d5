package dev.bakehouse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.ObjectInfo;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.node.train.LiveTrainings;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.files.DatasetFiles;
import dev.bakehouse.server.files.FileAreas;
import dev.bakehouse.server.files.FileRefusal;
import dev.bakehouse.server.files.UploadStore;
import dev.bakehouse.server.files.ViewResolver;
import dev.bakehouse.server.http.ApiRouter;
import dev.bakehouse.server.http.DatasetRoutes;
import dev.bakehouse.server.http.ExperimentModelRoutes;
import dev.bakehouse.server.http.ExtensionScripts;
import dev.bakehouse.server.http.FileRoutes;
import dev.bakehouse.server.http.FrontendCatalogRoutes;
import dev.bakehouse.server.http.GachamaxRoutes;
import dev.bakehouse.server.http.HistoryRoutes;
import dev.bakehouse.server.http.HttpFailure;
import dev.bakehouse.server.http.InternalFileRoutes;
import dev.bakehouse.server.http.JobRoutes;
import dev.bakehouse.server.http.JsonBodies;
import dev.bakehouse.server.http.LogRoutes;
import dev.bakehouse.server.http.NodeRoutes;
import dev.bakehouse.server.http.PromptRoutes;
import dev.bakehouse.server.http.QueueRoutes;
import dev.bakehouse.server.http.RequestGuard;
import dev.bakehouse.server.http.SettingsRoutes;
import dev.bakehouse.server.http.StaticFiles;
import dev.bakehouse.server.http.SystemRoutes;
import dev.bakehouse.server.http.TrainControlRoutes;
import dev.bakehouse.server.http.UserRoutes;
import dev.bakehouse.server.http.UserdataRoutes;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.logs.ConsoleCapture;
import dev.bakehouse.server.logs.LogRing;
import dev.bakehouse.server.logs.LogSubscriptions;
import dev.bakehouse.server.queue.PromptQueue;
import dev.bakehouse.server.queue.DelayedTasks;
import dev.bakehouse.server.store.HistoryStore;
import dev.bakehouse.server.store.JsonFileSettingsStore;
import dev.bakehouse.server.store.SqliteDatabase;
import dev.bakehouse.server.store.SqliteGachamaxStore;
import dev.bakehouse.server.store.SqliteHistoryStore;
import dev.bakehouse.server.store.SqliteQueueStore;
import dev.bakehouse.server.store.SqliteRunStore;
import dev.bakehouse.server.user.UserFiles;
import dev.bakehouse.server.worker.PromptWorker;
import dev.bakehouse.server.worker.StartupRecovery;
import dev.bakehouse.server.ws.Events;
import dev.bakehouse.server.ws.WsHub;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node server: HTTP/WS API (Javalin), queue, worker, history, all on one data dir.
 * Built by {@link #builder}; {@link #close()} stops it cleanly, {@link #halt()} abruptly.
 */
public final class BakehouseServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BakehouseServer.class);
    private static final int STOP_WAIT_SECONDS = 10;
    /** The SQLite database under the data dir: queue, history, runs, GACHAMAX loops. */
    public static final String DATABASE_FILE = "bakehouse.db";

    private final ServerConfig config;
    private final DataDirs dirs;
    private final SqliteDatabase database;
    private final PromptQueue queue;
    private final HistoryStore history;
    private final WsHub hub;
    private final PromptWorker worker;
    private final Thread workerThread;
    private final Javalin app;
    private final LogSubscriptions logSubscriptions;
    private final InterruptFlag interrupt;
    private final AutoCloseable ownedScheduler;
    private final ModelCache models;

    private BakehouseServer(Builder builder) {
        this.config = builder.config;
        this.dirs = dataDirs(config);
        this.models = new ModelCache(builder.models.device(), builder.models.maxCheckpoints());
        LiveTrainings live = new LiveTrainings();
        this.database = SqliteDatabase.open(config.dataDir().resolve(DATABASE_FILE));
        SqliteGachamaxStore gachamax = new SqliteGachamaxStore(database);
        NodeRegistry registry = builder.nodes != null ? builder.nodes.apply(dirs)
                : NodeRegistry.of(AllNodes.all(dirs, builder.models, models, live, gachamax));
        SqliteQueueStore queueStore = new SqliteQueueStore(database);
        this.history = builder.historyDecorator.apply(new SqliteHistoryStore(database, HistoryStore.DEFAULT_CAPACITY));
        SqliteRunStore runs = new SqliteRunStore(database);
        ObjectNode features = SystemRoutes.features(config.maxUploadBytes());
        // The hub and the queue refer to each other; the hub asks for the count only after start.
        this.hub = new WsHub(this::queueRemaining, features);
        this.queue = new PromptQueue(queueStore, hub::broadcastStatus);
        queue.restore(StartupRecovery.recover(queueStore, history, runs, builder.clock));

        OutputCache cache = new OutputCache();
        this.interrupt = new InterruptFlag();
        PromptExecutor executor = new PromptExecutor(registry, dirs, cache, builder.clock);
        this.worker = new PromptWorker(queue, executor, cache, interrupt, history, runs, hub, builder.clock,
                models::unload, config.previewMethod());
        hub.runningNodeOfClient(worker::runningNodeOf);

        this.app = createJavalin(config);
        installGuard(app, config);
        app.ws("/ws", hub::configure);
        app.ws("/api/ws", hub::configure);

        DelayedTasks scheduler = builder.scheduler != null ? builder.scheduler : DelayedTasks.realTime("prompt-release");
        this.ownedScheduler = builder.scheduler == null ? (DelayedTasks.RealTime) scheduler : () -> { };
        ApiRouter router = new ApiRouter(app);
        new PromptRoutes(new PromptValidator(registry), queue, queueStore, scheduler, config.startGrace())
                .register(router);
        new QueueRoutes(queue, id -> interrupt.request()).register(router);
        new HistoryRoutes(history).register(router);
        new GachamaxRoutes(gachamax).register(router);
        new JobRoutes(queue, history).register(router);
        new TrainControlRoutes(queue, live).register(router);
        FileAreas areas = new FileAreas(dirs.input(), dirs.output(), dirs.temp());
        new FileRoutes(new ViewResolver(areas), new UploadStore(areas), config.maxUploadBytes()).register(router);
        new NodeRoutes(new ObjectInfo(registry), dirs).register(router);
        new SystemRoutes(features, config.device(), config.argv(), worker::requestFree).register(router);
        new ExtensionScripts().register(router, app);
        new DatasetRoutes(new DatasetFiles(dirs.datasets())).register(router);

        this.workerThread = new Thread(worker, "prompt-worker");
        workerThread.setDaemon(true);

        LogRing logs = builder.logs != null ? builder.logs : ConsoleCapture.shared();
        this.logSubscriptions = new LogSubscriptions(logs, (client, data) -> hub.sendTo(client, Events.LOGS, data));
        registerFrontendSupport(router, areas, logs);
    }

    /** The routes only the official ComfyUI frontend needs (spec §3.15). */
    private void registerFrontendSupport(ApiRouter router, FileAreas areas, LogRing logs) {
        UserFiles userFiles = new UserFiles(dirs.root());
        new UserRoutes(userFiles).register(router);
        new SettingsRoutes(new JsonFileSettingsStore(userFiles.root().resolve(JsonFileSettingsStore.FILE_NAME)))
                .register(router);
        new UserdataRoutes(userFiles).register(router);
        new ExperimentModelRoutes(dirs).register(router);
        new FrontendCatalogRoutes().register(router);
        new LogRoutes(logs, logSubscriptions).register(router);
        new InternalFileRoutes(dirs, areas).register(router);
    }

    private static Javalin createJavalin(ServerConfig config) {
        return Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            javalin.http.maxRequestSize = config.maxUploadBytes();
            // Spec §1.4: gzip when the client sends Accept-Encoding: gzip, plain otherwise. Javalin
            // skips small bodies and already-compressed types (images); JSON such as /object_info
            // shrinks several-fold (4653 to 1027 bytes for the test node set).
            javalin.http.gzipOnlyCompression();
            javalin.jetty.multipartConfig.maxFileSize(config.maxUploadBytes(), SizeUnit.BYTES);
            javalin.jetty.multipartConfig.maxTotalRequestSize(config.maxUploadBytes(), SizeUnit.BYTES);
            new StaticFiles(config.webRoot()).register(javalin);
        });
    }

    /** Token and origin checks before every request and upgrade; errors written in one place. */
    private static void installGuard(Javalin app, ServerConfig config) {
        RequestGuard guard = new RequestGuard(config.authToken(), config.corsOrigin());
        StaticFiles webRoot = new StaticFiles(config.webRoot());
        ExtensionScripts extensions = new ExtensionScripts();
        app.before(ctx -> {
            if (config.corsOrigin() != null) {
                RequestGuard.addCorsHeaders(ctx, config.corsOrigin());
            }
            // The editor's own files are not secret; the token guards the API.
            if (ctx.method() != HandlerType.OPTIONS && !webRoot.serves(ctx) && !extensions.serves(ctx)) {
                guard.check(ctx);
            }
        });
        app.wsBeforeUpgrade(guard::check);
        app.options("/*", JsonBodies::empty);
        app.exception(HttpFailure.class, (failure, ctx) -> {
            ctx.status(failure.status());
            JsonBodies.respond(ctx, failure.body());
        });
        app.exception(FileRefusal.class, (refusal, ctx) -> {
            LOG.debug("{} refused ({}): {}", ctx.path(), refusal.status(), refusal.getMessage());
            ctx.status(refusal.status());
            JsonBodies.respond(ctx, Json.object().put("error", refusal.getMessage()));
        });
    }

    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /** Data dirs from the config: the data dir plus each extra install (ComfyUI or A1111 layout). */
    public static DataDirs dataDirs(ServerConfig config) {
        DataDirs.Builder builder = DataDirs.builder(config.dataDir());
        config.extraModelDirs().forEach(builder::install);
        return builder.build();
    }

    private BakehouseServer start() {
        app.start(config.listen(), config.port());
        workerThread.start();
        // Debug only: `bakehouse serve` prints the one line a user needs (where the editor is).
        LOG.debug("Bakehouse listening on http://{}:{} (data dir {})", config.listen(), port(), dirs.root());
        return this;
    }

    private int queueRemaining() {
        return queue.remaining();
    }

    /** True when something is served at {@code /}: the bundled editor or a {@code --web-root}. */
    public boolean servesEditor() {
        return new StaticFiles(config.webRoot()).any();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    public DataDirs dirs() {
        return dirs;
    }

    /** The loaded models of the default node set (empty with custom nodes). */
    public ModelCache models() {
        return models;
    }

    /**
     * Stops accepting requests, asks a running prompt to stop (it is then recorded as
     * interrupted) and waits up to {@value #STOP_WAIT_SECONDS} s for it, then closes the
     * database. A node that ignores the interrupt longer is left behind; the next start records
     * its prompt as interrupted instead. Loaded models are closed once the worker has stopped.
     */
    @Override
    public void close() {
        app.stop();
        worker.stop();
        queue.close();
        if (queue.running().isPresent()) {
            interrupt.request();
        }
        try {
            workerThread.join(STOP_WAIT_SECONDS * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(ownedScheduler);
        logSubscriptions.close();
        hub.close();
        database.close();
        if (!workerThread.isAlive()) {
            models.close(); // a node still running past the wait keeps its model; the process is ending
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", resource, e.toString());
        }
    }

    /**
     * Stops as if the process were killed: nothing is drained or recorded; a running prompt is
     * abandoned on its thread and can no longer write (the database is closed first).
     */
    public void halt() {
        worker.stop();
        database.close();
        queue.close();
        app.stop();
        closeQuietly(ownedScheduler);
        logSubscriptions.close();
        hub.close();
    }

    /** How to build a server; tests inject nodes, time and the grace scheduler. */
    public static final class Builder {
        private final ServerConfig config;
        private Function<DataDirs, NodeRegistry> nodes;
        private ModelSettings models;
        private DelayedTasks scheduler;
        private Clock clock = Clock.systemUTC();
        private UnaryOperator<HistoryStore> historyDecorator = store -> store;
        private LogRing logs;

        private Builder(ServerConfig config) {
            this.config = config;
            this.models = ModelSettings.of(ComputeDevice.parse(config.device()), null);
        }

        /** How the default node set's models are set up (default: the config's device). */
        public Builder models(ModelSettings settings) {
            this.models = settings;
            return this;
        }

        /**
         * The node types offered instead of the default {@link AllNodes} (which share the
         * server's {@link ModelCache}).
         */
        public Builder nodes(Function<DataDirs, NodeRegistry> registry) {
            this.nodes = registry;
            return this;
        }

        /** Schedules the release of new prompts after the grace (default: real time). */
        public Builder scheduler(DelayedTasks releaseScheduler) {
            this.scheduler = releaseScheduler;
            return this;
        }

        public Builder clock(Clock timeSource) {
            this.clock = timeSource;
            return this;
        }

        /** Wraps the history store (tests pause it to observe what happens around storing). */
        public Builder decorateHistory(UnaryOperator<HistoryStore> decorator) {
            this.historyDecorator = decorator;
            return this;
        }

        /** Where {@code /internal/logs} reads from (default: this process's console). */
        public Builder logs(LogRing consoleLines) {
            this.logs = consoleLines;
            return this;
        }

        /** Builds, recovers the persisted queue, binds and starts the worker. */
        public BakehouseServer start() {
            return new BakehouseServer(this).start();
        }
    }
}
