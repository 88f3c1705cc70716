package dev.shoal.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void anUnreachableOrRestartingDatabaseIsAnOutage() {
        assertThat(DatabaseOutage.causedBy(new CompletionException(new ConnectException("Connection refused")))).isTrue();
        assertThat(DatabaseOutage.causedBy(new RuntimeException(ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(DatabaseOutage.causedBy(new PgException("terminating connection due to administrator command",
                "FATAL", "57P01", null))).isTrue();
        assertThat(DatabaseOutage.causedBy(new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .isTrue();
        assertThat(DatabaseOutage.causedBy(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
    }

    @Test
    void aBugOrABadQueryIsNot() {
        assertThat(DatabaseOutage.causedBy(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseOutage.causedBy(new PgException("syntax error at or near \"SELEC\"", "ERROR", "42601", null)))
                .isFalse();
        assertThat(DatabaseOutage.causedBy(new PgException("duplicate key value", "ERROR", "23505", null))).isFalse();
    }
}
