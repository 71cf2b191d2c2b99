package io.auditrail.app.task;

import io.auditrail.app.CommonOptions;
import io.auditrail.app.ExitCode;
import io.auditrail.index.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail migrate}: applies the Flyway migrations of {@code sql/}, the only way the schema changes. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Bring the PostgreSQL schema to this version's (Flyway, files of sql/). Safe to run again and "
                + "from several processes at once.", "Settings: postgres.* keys (docs/CONFIG.md)."})
public final class MigrateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Migrations.Result r = Migrations.migrate(common.settings());
        spec.commandLine().getOut().printf("schema at version %s (%d migrations applied)%n", r.schemaVersion(),
                r.applied());
        return ExitCode.OK;
    }
}
