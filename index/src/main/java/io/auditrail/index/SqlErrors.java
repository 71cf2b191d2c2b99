package io.auditrail.index;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Sorts database failures into the two kinds the stage treats differently, and isolates the rows PostgreSQL
 * refuses. A row-level failure (data exception 22, integrity violation 23, program limit 54 such as an index row
 * too large) is the row's fault and would fail forever: bisecting finds the row, which goes to the dead-letter
 * topic. Anything else (connection lost, server shutting down, out of resources, a missing table) is the
 * environment's: the whole batch waits and is retried, nothing is skipped.
 */
final class SqlErrors {
    private SqlErrors() {
    }

    static boolean isRowLevel(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * One line for the dead-letter header: SQLSTATE and the constraint, column or table it names. Not the server's
     * message, which may quote the row's values.
     */
    static String describe(SQLException e) {
        StringBuilder b = new StringBuilder("PostgreSQL refused the row: SQLSTATE ").append(e.getSQLState());
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            if (m.getConstraint() != null) {
                b.append(", constraint ").append(m.getConstraint());
            }
            if (m.getColumn() != null) {
                b.append(", column ").append(m.getColumn());
            }
            if (m.getTable() != null) {
                b.append(", table ").append(m.getTable());
            }
        }
        return b.toString();
    }

    /** Short text for logs: class and SQLSTATE, first line of the message. */
    static String brief(Exception e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        String state = e instanceof SQLException s && s.getSQLState() != null ? " [" + s.getSQLState() + "]" : "";
        return e.getClass().getSimpleName() + state + ": " + (msg.length() > 200 ? msg.substring(0, 200) : msg);
    }

    /** A row the database refused, by its index in the list given to the writer. */
    record Rejection(int index, String reason) {
    }

    /** Writes rows {@code [from, to)} in one transaction; returns what it did, or throws with nothing committed. */
    @FunctionalInterface
    interface Attempt<R> {
        R write(int from, int to) throws SQLException;
    }

    /**
     * Writes {@code [0, size)}; on a row-level failure splits the range in halves and writes each, down to single
     * rows, which are rejected. Safe because every write is idempotent: a half that was written before a later
     * failure is simply written again (as duplicates, which the write ignores) when the batch is retried.
     *
     * @return the results of the attempts that committed
     */
    static <R> List<R> isolate(int size, Attempt<R> attempt, List<Rejection> rejected) throws SQLException {
        List<R> done = new ArrayList<>();
        if (size > 0) {
            isolate(0, size, attempt, done, rejected);
        }
        return done;
    }

    private static <R> void isolate(int from, int to, Attempt<R> attempt, List<R> done, List<Rejection> rejected)
            throws SQLException {
        try {
            done.add(attempt.write(from, to));
        } catch (SQLException e) {
            if (!isRowLevel(e)) {
                throw e;
            }
            if (to - from == 1) {
                rejected.add(new Rejection(from, describe(e)));
                return;
            }
            int mid = (from + to) >>> 1;
            isolate(from, mid, attempt, done, rejected);
            isolate(mid, to, attempt, done, rejected);
        }
    }
}
