package org.nextbestgraph.neo4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts Neo4j Community embedded with the Bolt connector on 127.0.0.1, prints one line
 * {@code NBG_NEO4J_READY {json}} on stdout when Bolt accepts connections, and shuts down cleanly on
 * SIGTERM/SIGINT. Failures print {@code NBG_NEO4J_ERROR {json}} with a code the Node side maps to a
 * message (LOCKED, PORT_IN_USE, BAD_ARGS, START_FAILED) and exit with status 1.
 *
 * <p>Arguments: --home DIR (required), --port N (0 or absent: a free port), --password PW (auth on;
 * absent: auth off), --pagecache SIZE (e.g. 256m), --exit-on-stdin-close (follow the parent's death;
 * stdin then also takes commands: {@code IMPORT<TAB>args...} runs an offline import in this JVM,
 * between a shutdown and a new start of the database, see {@link #importInPlace}). With
 * {@code import} as first argument it runs an offline import instead ({@link OfflineImport}).
 */
public final class Launcher {
    static final PrintStream OUT = System.out;

    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("import")) {
            OfflineImport.run(args);
            return;
        }
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            fail("BAD_ARGS", e.getMessage(), null);
            return;
        }
        Path home = Path.of(opts.get("home")).toAbsolutePath();
        int port;
        try {
            port = opts.containsKey("port") ? Integer.parseInt(opts.get("port")) : 0;
            if (port == 0) port = freePort();
        } catch (NumberFormatException | IOException e) {
            fail("BAD_ARGS", "cannot choose the Bolt port: " + e.getMessage(), null);
            return;
        }
        if (!portFree(port)) {
            fail("PORT_IN_USE", "port " + port + " on 127.0.0.1 is already in use", null);
            return;
        }

        DatabaseManagementService service = null;
        try {
            Files.createDirectories(home);
            // A store swap that an offline import began and a kill interrupted is finished first.
            StoreSwap.recover(home);
            Path conf = home.resolve("nbg-neo4j.conf");
            Files.writeString(conf, settings(opts), StandardCharsets.UTF_8);
            String password = opts.get("password");
            service = open(home, conf, port, password);
            RUNNING.set(service);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                DatabaseManagementService running = RUNNING.getAndSet(null);
                if (running == null) return; // stopped for an import, or stopping already
                try {
                    running.shutdown();
                } catch (RuntimeException ignored) {
                    // already shutting down
                }
            }, "nbg-shutdown"));
            BlockingQueue<String[]> commands = new LinkedBlockingQueue<>();
            if (opts.containsKey("exit-on-stdin-close")) watchStdin(commands);
            ready(port, home);
            for (;;) {
                String[] command = commands.take();
                if (command.length > 0 && command[0].equals("IMPORT")) importInPlace(command, home, conf, port, password);
            }
        } catch (Throwable t) {
            String code = classify(t);
            fail(code, rootMessage(t), RUNNING.getAndSet(null));
        }
    }

    /** The database management service of this process (null while stopped for an import). */
    private static final AtomicReference<DatabaseManagementService> RUNNING = new AtomicReference<>();

    private static DatabaseManagementService open(Path home, Path conf, int port, String password) {
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .build();
        try {
            if (password != null) setPassword(service, password);
            // Touch the default database so that the first client query does not pay its start-up.
            service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (RuntimeException e) {
            service.shutdown();
            throw e;
        }
        return service;
    }

    private static void ready(int port, Path home) {
        OUT.println("NBG_NEO4J_READY {\"port\":" + port + ",\"boltUri\":\"bolt://127.0.0.1:" + port
                + "\",\"pid\":" + ProcessHandle.current().pid() + ",\"home\":" + json(home.toString())
                + ",\"version\":" + json(org.neo4j.kernel.internal.Version.getNeo4jVersion()) + "}");
        OUT.flush();
    }

    /**
     * The {@code IMPORT} command (tab-separated arguments of the {@code import} mode, without
     * --home): shuts the database down, runs the offline import in this JVM (no second JVM to
     * start, the importer's classes already loaded), prints its result line ({@code IMPORTED} or
     * {@code ERROR}), then opens the database again on the same port and prints {@code READY}.
     */
    private static void importInPlace(String[] command, Path home, Path conf, int port, String password) {
        double cpuFrom = OfflineImport.cpuSeconds();
        DatabaseManagementService running = RUNNING.getAndSet(null);
        if (running != null) running.shutdown();
        String result;
        try {
            result = OfflineImport.importStore(OfflineImport.parse(command, 1, home), cpuFrom);
        } catch (OfflineImport.Failure f) {
            result = "NBG_NEO4J_ERROR {\"code\":" + json(f.code) + ",\"message\":" + json(f.getMessage()) + "}";
        }
        OUT.println(result);
        OUT.flush();
        RUNNING.set(open(home, conf, port, password));
        ready(port, home);
    }

    private static String settings(Map<String, String> opts) {
        StringBuilder s = new StringBuilder();
        s.append("server.memory.pagecache.size=").append(opts.getOrDefault("pagecache", "256m")).append('\n');
        // Fast shutdown: Bolt would otherwise wait 5 s twice for connections to drain.
        s.append("internal.server.bolt.thread_pool_shutdown_wait_time=0s\n");
        s.append("internal.server.bolt.connection_shutdown_wait_time=0s\n");
        // Keep the store small and recovery short.
        s.append("db.tx_log.preallocate=false\n");
        s.append("db.tx_log.rotation.size=64m\n");
        s.append("db.tx_log.rotation.retention_policy=2 files\n");
        s.append("db.checkpoint.interval.time=5m\n");
        s.append("server.logs.debug.enabled=true\n");
        return s.toString();
    }

    private static void setPassword(DatabaseManagementService service, String password) {
        GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Setting the password it already has is refused: that is the state we want.
            String m = rootMessage(e).toLowerCase();
            if (!(m.contains("old password and new password cannot be the same") || m.contains("same"))) throw e;
        }
    }

    /** Exits (running the shutdown hook) when stdin ends, the parent's death included. */
    static void watchStdin() {
        watchStdin(null);
    }

    /**
     * Exits when stdin ends; each line read before is a command (tab-separated words) put on
     * {@code commands} (ignored when null).
     */
    static void watchStdin(BlockingQueue<String[]> commands) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (commands != null && !line.isBlank()) commands.add(line.split("\t", -1));
                }
            } catch (IOException ignored) {
                // treat like end of stream
            }
            System.exit(0); // runs the shutdown hook
        }, "nbg-stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    private static String classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String n = c.getClass().getName();
            String m = String.valueOf(c.getMessage()).toLowerCase();
            if (n.contains("FileLockException") || m.contains("lock") && m.contains("store")) return "LOCKED";
            if (n.contains("BindException") || m.contains("address already in use")) return "PORT_IN_USE";
        }
        return "START_FAILED";
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        StringBuilder s = new StringBuilder(String.valueOf(t.getMessage()));
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            s.append(" <- ").append(c.getMessage());
        }
        return s.toString();
    }

    static void fail(String code, String message, DatabaseManagementService service) {
        OUT.println("NBG_NEO4J_ERROR {\"code\":" + json(code) + ",\"message\":" + json(message) + "}");
        OUT.flush();
        if (service != null) {
            try {
                service.shutdown();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        // Neo4j threads are not daemons: without exit the JVM would stay up.
        System.exit(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String key = a.substring(2);
            if (key.equals("exit-on-stdin-close")) {
                m.put(key, "true");
            } else if (key.equals("home") || key.equals("port") || key.equals("password") || key.equals("pagecache")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                m.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!m.containsKey("home")) throw new IllegalArgumentException("--home DIR is required");
        return m;
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
