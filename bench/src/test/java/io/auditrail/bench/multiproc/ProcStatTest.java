package io.auditrail.bench.multiproc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void thisProcessHasCpuTimeAndResidentMemoryAndItsTreeAtLeastAsMuch() {
        long self = ProcessHandle.current().pid();
        long spin = 0;
        for (long i = 0; i < 200_000_000L; i++) {
            spin += i ^ (spin >>> 3);
        }
        ProcStat own = ProcStat.of(self);
        ProcStat tree = ProcStat.tree(self);

        assertThat(spin).isNotZero();
        assertThat(own.cpuTicks()).isPositive();
        assertThat(own.rssBytes()).isGreaterThan(16L << 20);
        assertThat(tree.cpuTicks()).isGreaterThanOrEqualTo(own.cpuTicks());
    }

    @Test
    void aProcessThatIsGoneReadsAsNothing() {
        assertThat(ProcStat.of(Long.MAX_VALUE)).isEqualTo(ProcStat.NONE);
    }
}
