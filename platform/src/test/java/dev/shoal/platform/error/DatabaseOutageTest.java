package dev.shoal.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** One test per kind of failure the database's going away produces, and what must stay a 500. */
class DatabaseOutageTest {

    @Test
    void aRefusedConnectionIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new CompletionException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void aConnectionClosedUnderAQueryIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new RuntimeException(ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(DatabaseOutage.causedBy(new CompletionException(new ClosedChannelException()))).isTrue();
    }

    @Test
    void theServerShuttingDownCrashingOrStartingIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new PgException("terminating connection due to administrator command",
                "FATAL", "57P01", null))).isTrue();
        assertThat(DatabaseOutage.causedBy(new PgException("terminating connection because of crash of another server process",
                "FATAL", "57P02", null))).isTrue();
        assertThat(DatabaseOutage.causedBy(new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .isTrue();
    }

    @Test
    void aConnectionExceptionStateIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
        assertThat(DatabaseOutage.causedBy(new PgException("could not connect", "FATAL", "08001", null))).isTrue();
    }

    @Test
    void aJdbcConnectionFailureIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new IllegalStateException(
                new SQLTransientConnectionException("Connection to localhost:5432 refused", "08001")))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SQLException("FATAL: the database system is shutting down", "57P03"))).isTrue();
    }

    /** The reactive client's messageless throwables, as its connection and pool create them. */
    @Test
    void theReactiveClientsClosedConnectionThrowablesAreAnOutage() {
        assertThat(DatabaseOutage.causedBy(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")))
                .isTrue();
        assertThat(DatabaseOutage.causedBy(new NoStackTraceThrowable(
                "Pending requests failed to be sent due to connection has been closed."))).isTrue();
        assertThat(DatabaseOutage.causedBy(new VertxException(
                "Pending requests failed to be sent due to connection has been closed.", new ClosedChannelException()))).isTrue();
        assertThat(DatabaseOutage.causedBy(new NoStackTraceThrowable(
                "Fail to read any response from the server, the underlying connection might get lost unexpectedly."))).isTrue();
    }

    /**
     * PostgreSQL resetting a pooled connection as it shuts down: Netty's native transport fails the
     * read with an IOException of this message (seen as a 500 during the e2e PostgreSQL restart), the
     * JDK's sockets with a SocketException.
     */
    @Test
    void aConnectionResetByTheServerIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new CompletionException(
                new IOException("recvAddress(..) failed: Connection reset by peer")))).isTrue();
        assertThat(DatabaseOutage.causedBy(new IOException("writevAddresses(..) failed: Broken pipe"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new SocketException("Connection reset"))).isTrue();
        assertThat(DatabaseOutage.causedBy(new IOException("No space left on device"))).isFalse();
    }

    @Test
    void aClosedPoolIsAnOutage() {
        // what Vert.x's connection pool fails an acquisition with once it is closed
        Throwable poolClosed = Future.failedFuture("Pool closed").cause();
        assertThat(DatabaseOutage.causedBy(new CompletionException(poolClosed))).isTrue();
    }

    @Test
    void aBugOrABadQueryIsNot() {
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new NoStackTraceThrowable("something else went wrong"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new RuntimeException((String) null))).isFalse();
        assertThat(DatabaseOutage.causedBy(new PgException("syntax error at or near \"SELEC\"", "ERROR", "42601", null)))
                .isFalse();
        assertThat(DatabaseOutage.causedBy(new PgException("duplicate key value", "ERROR", "23505", null))).isFalse();
        assertThat(DatabaseOutage.causedBy(new SQLException("value too long", "22001"))).isFalse();
    }
}
