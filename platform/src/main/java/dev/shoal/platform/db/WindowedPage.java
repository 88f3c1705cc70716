package dev.shoal.platform.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A page of a list read in one round trip: the query carries the list's size on every row, in a
 * column {@code total} (a window count over every matching row, {@code count(*) OVER ()}, taken
 * before LIMIT and OFFSET, or a scalar count), so no second query counts the list.
 */
public record WindowedPage<T>(List<T> items, long total) {

    /**
     * The page in {@code rows}, each row mapped. Past the last page no row carries the total, so
     * only then {@code countApart} is asked for it; an empty first page is an empty list.
     */
    public static <T> Uni<WindowedPage<T>> of(RowSet<Row> rows, long offset, Function<Row, T> mapper,
                                              Supplier<Uni<Long>> countApart) {
        List<T> items = new ArrayList<>(rows.size());
        for (Row row : rows) {
            items.add(mapper.apply(row));
        }
        if (!items.isEmpty() || offset == 0) {
            long total = items.isEmpty() ? 0 : rows.iterator().next().getLong("total");
            return Uni.createFrom().item(new WindowedPage<>(items, total));
        }
        return countApart.get().map(total -> new WindowedPage<>(items, total));
    }
}
