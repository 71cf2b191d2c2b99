package io.auditrail.app.task;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.index.EventPartition;
import io.auditrail.index.PartitionRetention;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail retention}: one run of the index's partition retention (the index stage also runs it). */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"Create the index's day partitions ahead and drop those older than index.retention.days "
                + "(90 by default), printing each dropped partition with its row count.",
                "Settings: index.retention.days, index.partitions.ahead.days, postgres.* (docs/CONFIG.md)."})
public final class RetentionCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PartitionRetention.Result r = PartitionRetention.run(common.settings(), Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("retention keeps %s onwards (today %s UTC)%n", r.retentionStart(), r.today());
        for (PartitionRetention.Dropped d : r.dropped()) {
            out.printf("dropped %s (%s, %d rows)%n", d.table(), d.day(), d.rows());
        }
        for (EventPartition p : r.created()) {
            out.printf("created %s%n", p.tableName());
        }
        out.printf("oldest retained day: %s%n", r.oldestRetainedDay().map(Object::toString).orElse("none"));
        return ExitCode.OK;
    }
}
