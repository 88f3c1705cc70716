package dev.shoal.issue.support;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Small helpers for the reactive SQL client: argument tuples with nulls, row mapping, timestamps. */
public final class Sql {

    private Sql() {
    }

    /** A tuple of any length; unlike {@code Tuple.of} it takes nulls and more than six values. */
    public static Tuple args(Object... values) {
        Tuple tuple = Tuple.tuple();
        for (Object value : values) {
            tuple.addValue(value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : value);
        }
        return tuple;
    }

    public static Long[] ids(Collection<Long> ids) {
        return ids.toArray(new Long[0]);
    }

    public static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(mapper.apply(row));
        }
        return result;
    }

    public static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(mapper.apply(iterator.next())) : Optional.empty();
    }

    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
