package dev.shoal.platform.error;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.util.Set;

/**
 * Tells a failure caused by the database being unreachable (stopped, restarting, failing over) from
 * a bug: the first is a 503 the client may retry, the second a 500 with a trace id.
 */
public final class DatabaseOutage {

    /** admin_shutdown, crash_shutdown, cannot_connect_now ("the database system is starting up"). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutage() {
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof DatabaseException db && db.getSqlState() != null
                    && (db.getSqlState().startsWith("08") || UNAVAILABLE_STATES.contains(db.getSqlState()))) {
                return true;
            }
        }
        return false;
    }
}
