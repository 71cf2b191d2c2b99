package io.auditrail.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {
    @Test
    void rowLevelFailuresAreDataIntegrityAndLimitErrors() {
        assertThat(SqlErrors.isRowLevel(new SQLException("x", "23505"))).isTrue();
        assertThat(SqlErrors.isRowLevel(new SQLException("x", "22P02"))).isTrue();
        assertThat(SqlErrors.isRowLevel(new SQLException("x", "54000"))).isTrue();
        assertThat(SqlErrors.isRowLevel(new SQLException("x", "08006"))).isFalse();
        assertThat(SqlErrors.isRowLevel(new SQLException("x", "57P01"))).isFalse();
        assertThat(SqlErrors.isRowLevel(new SQLException("x", "42P01"))).isFalse();
        assertThat(SqlErrors.isRowLevel(new SQLException("x"))).isFalse();
    }

    @Test
    void bisectingFindsExactlyTheBadRowsAndWritesTheRest() throws Exception {
        Set<Integer> bad = Set.of(3, 4, 97);
        List<Integer> written = new ArrayList<>();
        List<SqlErrors.Rejection> rejected = new ArrayList<>();
        List<Integer> done = SqlErrors.isolate(100, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (bad.contains(i)) {
                    throw new SQLException("refused", "23514");
                }
            }
            for (int i = from; i < to; i++) {
                written.add(i);
            }
            return to - from;
        }, rejected);
        assertThat(rejected).extracting(SqlErrors.Rejection::index).containsExactly(3, 4, 97);
        assertThat(rejected.get(0).reason()).startsWith("PostgreSQL refused the row: SQLSTATE 23514");
        assertThat(done.stream().mapToInt(Integer::intValue).sum()).isEqualTo(97);
        assertThat(written).hasSize(97).doesNotContainAnyElementsOf(bad);
    }

    @Test
    void anUnreachableDatabaseFailsTheWholeWrite() {
        assertThatThrownBy(() -> SqlErrors.isolate(10, (from, to) -> {
            throw new SQLException("connection refused", "08001");
        }, new ArrayList<>())).isInstanceOf(SQLException.class);
    }
}
