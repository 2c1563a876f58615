package org.nextbestgraph.neo4j;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

/**
 * A first load of the default database through Neo4j's offline batch importer (the code behind
 * {@code neo4j-admin database import full}), which writes the store files directly instead of
 * through transactions. The database must be stopped: the DBMS lock of the home is held for the
 * whole import and swap, so a concurrent start fails as LOCKED.
 *
 * <p>Two ways in: the launcher's {@code import} mode (a process of its own, {@link #run}), and the
 * {@code IMPORT} command a running attached launcher takes on its stdin ({@link Launcher}), which
 * shuts its database down, imports in the same (warm) JVM and starts the database again.
 *
 * <p>Arguments: {@code [--home DIR] --report FILE [--nodes SPEC]... [--relationships SPEC]...
 * [--multiline FILE]... [--max-memory SIZE] [--exit-on-stdin-close]}, where SPEC is the importer's
 * {@code Label=header.csv,body.csv} (or {@code TYPE=...}). Input files use the importer's defaults:
 * comma, RFC 4180 quotes, ';' between array items, UTF-8; an empty unquoted field is no property.
 *
 * <p>The store is built in {@code HOME/import-staging} and swapped in by {@link StoreSwap}. Prints
 * {@code NBG_NEO4J_IMPORTED {json}} on success, or {@code NBG_NEO4J_ERROR {json}} (code LOCKED,
 * BAD_ARGS or IMPORT_FAILED), leaving the live database as it was.
 */
final class OfflineImport {
    private OfflineImport() {}

    /** A failed import: a code (LOCKED, BAD_ARGS, IMPORT_FAILED) and a message. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Failure(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Parsed arguments of one import. */
    record Request(Path home, Path report, List<String> admin, boolean followParent) {}

    /** The launcher's {@code import} mode: one import, then exit (status 0, or 1 on failure). */
    static void run(String[] args) {
        Request request;
        try {
            request = parse(args, 1, null);
        } catch (Failure f) {
            Launcher.fail(f.code, f.getMessage(), null);
            return;
        }
        if (request.followParent()) Launcher.watchStdin();
        try {
            Launcher.OUT.println(importStore(request, 0)); // CPU seconds from the JVM's start
        } catch (Failure f) {
            Launcher.fail(f.code, f.getMessage(), null);
            return;
        }
        Launcher.OUT.flush();
        System.exit(0);
    }

    /** Parses {@code args[from..]}; {@code home} is the default home (absent: --home is required). */
    static Request parse(String[] args, int from, Path home) throws Failure {
        List<String> admin = new ArrayList<>(List.of("database", "import", "full"));
        List<String> multiline = new ArrayList<>();
        String maxMemory = "512m";
        boolean followParent = false;
        String homeArg = home == null ? null : home.toString();
        String reportArg = null;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--exit-on-stdin-close")) {
                followParent = true;
                continue;
            }
            if (i + 1 >= args.length) throw new Failure("BAD_ARGS", a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--home" -> homeArg = v;
                case "--report" -> reportArg = v;
                case "--nodes" -> admin.add("--nodes=" + v);
                case "--relationships" -> admin.add("--relationships=" + v);
                case "--multiline" -> multiline.add(v);
                case "--max-memory" -> maxMemory = v;
                default -> throw new Failure("BAD_ARGS", "unknown import option " + a);
            }
        }
        if (homeArg == null || reportArg == null)
            throw new Failure("BAD_ARGS", "import needs --home DIR and --report FILE");
        Path report = Path.of(reportArg).toAbsolutePath();
        admin.add("--bad-tolerance=0");
        admin.add("--verbose"); // a failure's stack trace goes to the import log
        admin.add("--max-off-heap-memory=" + maxMemory);
        admin.add("--report-file=" + report);
        admin.add("--overwrite-destination=true");
        if (!multiline.isEmpty()) {
            admin.add("--multiline-fields-format=v2");
            admin.add("--multiline-fields=" + String.join(",", multiline));
        }
        admin.add("neo4j");
        return new Request(Path.of(homeArg).toAbsolutePath(), report, admin, followParent);
    }

    /**
     * Imports into {@code HOME/import-staging} and swaps the new store in; the database must be
     * stopped. Returns the {@code NBG_NEO4J_IMPORTED} line: seconds, this process's CPU seconds (all
     * threads) since {@code cpuFrom}, its peak resident memory.
     */
    static String importStore(Request request, double cpuFrom) throws Failure {
        Path home = request.home();
        long started = System.nanoTime();
        Path lockFile = home.resolve("data/databases/store_lock");
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = tryLock(channel);
                if (lock == null)
                    throw new Failure("LOCKED", "the database under " + home + " is running: stop it before an offline import");
                StoreSwap.recover(home);
                Path staging = home.resolve(StoreSwap.STAGING);
                Files.createDirectories(staging);
                // The importer's own chatter (progress dots, memory estimates) goes to stderr, which
                // the caller keeps as a log; stdout carries only the result lines.
                PrintStream log = new PrintStream(new NonClosing(System.err), true, StandardCharsets.UTF_8);
                int code = AdminTool.execute(new ExecutionContext(staging, staging.resolve("conf"), log, log, new DefaultFileSystemAbstraction()), request.admin().toArray(String[]::new));
                if (code != 0) {
                    StoreSwap.deleteRecursively(staging);
                    throw new Failure("IMPORT_FAILED", "the offline importer exited with status " + code + " (see " + request.report() + " and the import log)");
                }
                StoreSwap.swapIn(home);
                lock.release();
            }
        } catch (Failure f) {
            throw f;
        } catch (Throwable t) {
            throw new Failure("IMPORT_FAILED", Launcher.rootMessage(t));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuNow = cpuSeconds();
        double cpu = cpuFrom < 0 || cpuNow < 0 ? -1 : cpuNow - cpuFrom;
        return "NBG_NEO4J_IMPORTED {\"seconds\":" + seconds + ",\"cpuSeconds\":" + cpu + ",\"peakRssMb\":" + peakRssMb()
                + ",\"home\":" + Launcher.json(home.toString()) + "}";
    }

    /** This process's CPU seconds so far (all threads), or -1 when unknown. */
    static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0);
    }

    /** This process's peak resident memory in MB (VmHWM), or -1 where /proc is absent. */
    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Keeps AdminTool from closing System.err. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
