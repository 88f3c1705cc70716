package dev.shoal.platform.error;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Tells a failure caused by the database being unreachable (stopped, restarting, failing over) from
 * a bug: the first is a 503 the client may retry, the second a 500 with a trace id.
 *
 * <p>What counts, anywhere in the cause chain: a refused connection; a connection reset by the
 * server as it shuts down (the JDK's {@link SocketException}, or the I/O error Netty's native
 * transport reads, {@code recvAddress(..) failed: Connection reset by peer}, which has no type of
 * its own); a connection closed under a
 * query or found closed when a query was sent ({@link ClosedConnectionException}, a Netty closed
 * channel, and the reactive client's and pool's messageless throwables, recognised by their fixed
 * messages); a server error with SQLSTATE class 08 (connection exception) or 57P01–57P03 (shutdown,
 * crash, starting up), from the reactive client or JDBC.
 */
public final class DatabaseOutage {

    /** admin_shutdown, crash_shutdown, cannot_connect_now ("the database system is starting up"). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    /**
     * The fixed messages of what Vert.x's SQL client and its pool fail a query with when the
     * connection went away (NoStackTraceThrowable or a plain VertxException, no type of their own).
     */
    private static final List<String> CLOSED_CONNECTION_MESSAGES = List.of(
            "Connection is not active now",                        // a query sent on a connection already closed
            "Pending requests failed to be sent due to connection has been closed", // queued behind a dropped one
            "Failed to read any response from the server",         // ClosedConnectionException's own message
            "Fail to read any response from the server",           // the same in older client versions
            "Pool closed");                                        // the pool shut while a query waited for it

    /** What a socket's read or write fails with, after Netty's {@code <syscall>(..) failed: } prefix, when the server went away. */
    private static final List<String> RESET_CONNECTION_MESSAGES = List.of("Connection reset by peer", "Broken pipe");

    private DatabaseOutage() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // SocketException: a refused connection (ConnectException) or one reset under a query
            if (t instanceof SocketException || t instanceof ClosedConnectionException || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof IOException io && isResetConnectionMessage(io.getMessage())) {
                return true;
            }
            if (t instanceof DatabaseException db && isUnavailableState(db.getSqlState())) {
                return true;
            }
            if (t instanceof SQLException jdbc && isUnavailableState(jdbc.getSQLState())) {
                return true;
            }
            if (isClosedConnectionMessage(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnavailableState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || UNAVAILABLE_STATES.contains(sqlState));
    }

    private static boolean isResetConnectionMessage(String message) {
        return message != null && RESET_CONNECTION_MESSAGES.stream().anyMatch(message::endsWith);
    }

    private static boolean isClosedConnectionMessage(String message) {
        if (message == null) {
            return false;
        }
        for (String known : CLOSED_CONNECTION_MESSAGES) {
            if (message.startsWith(known)) {
                return true;
            }
        }
        return false;
    }
}
