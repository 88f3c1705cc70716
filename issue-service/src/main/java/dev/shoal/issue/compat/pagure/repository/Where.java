package dev.shoal.issue.compat.pagure.repository;

import dev.shoal.issue.support.Sql;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** A WHERE clause built from optional filters, each value bound as a parameter (never spliced into SQL). */
final class Where {

    private final List<String> clauses = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    /** Adds a clause whose {@code ?} placeholders take the given values in order. */
    Where and(String clause, Object... values) {
        StringBuilder sql = new StringBuilder();
        int next = 0;
        for (char c : clause.toCharArray()) {
            if (c == '?') {
                args.add(values[next++]);
                sql.append('$').append(args.size());
            } else {
                sql.append(c);
            }
        }
        clauses.add("(" + sql + ")");
        return this;
    }

    /** A placeholder for a value used outside the WHERE clause (LIMIT, OFFSET). */
    String bind(Object value) {
        args.add(value);
        return "$" + args.size();
    }

    String sql() {
        return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    }

    Tuple args() {
        return Sql.args(args.toArray());
    }
}
