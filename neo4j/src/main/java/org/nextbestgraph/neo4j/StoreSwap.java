package org.nextbestgraph.neo4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Puts a store built by the offline importer in place of the live default database, in a way a
 * crash cannot leave half done. The importer writes into a staging Neo4j home
 * ({@code HOME/import-staging}); once it has succeeded, a marker file ({@code HOME/import-swap})
 * says "the staged store is complete", then the live store and transaction-log folders are moved
 * aside and the staged ones moved in. {@link #recover} (run before every start and every import)
 * finishes a swap the marker names and drops a staging folder without marker, so after a kill at
 * any point the database is either the one before the import or the complete imported one.
 */
final class StoreSwap {
    static final String STAGING = "import-staging";
    static final String PREVIOUS = "import-previous";
    static final String MARKER = "import-swap";
    /** The default database's store and transaction-log folders, relative to a Neo4j home. */
    private static final List<String> PARTS = List.of("data/databases/neo4j", "data/transactions/neo4j");

    private StoreSwap() {}

    /** Finishes an interrupted swap, or removes an incomplete staging folder. */
    static void recover(Path home) throws IOException {
        if (Files.exists(home.resolve(MARKER))) {
            complete(home);
        } else {
            deleteRecursively(home.resolve(STAGING));
            deleteRecursively(home.resolve(PREVIOUS));
        }
    }

    /** Marks the staged store complete, then swaps it in. */
    static void swapIn(Path home) throws IOException {
        Path tmp = home.resolve(MARKER + ".tmp");
        Files.writeString(tmp, "staged store complete\n", StandardCharsets.UTF_8);
        Files.move(tmp, home.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
        complete(home);
    }

    private static void complete(Path home) throws IOException {
        Path staging = home.resolve(STAGING);
        for (String part : PARTS) {
            Path staged = staging.resolve(part);
            if (!Files.exists(staged)) continue; // moved in already
            Path live = home.resolve(part);
            if (Files.exists(live)) {
                Path aside = home.resolve(PREVIOUS).resolve(part);
                deleteRecursively(aside);
                Files.createDirectories(aside.getParent());
                Files.move(live, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.createDirectories(live.getParent());
            Files.move(staged, live, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.delete(home.resolve(MARKER));
        deleteRecursively(home.resolve(PREVIOUS));
        deleteRecursively(staging);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
