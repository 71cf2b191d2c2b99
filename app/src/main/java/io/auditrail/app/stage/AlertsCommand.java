package io.auditrail.app.stage;

import io.auditrail.alerts.AlertsStage;
import io.auditrail.app.CommonOptions;
import io.auditrail.core.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code auditrail alerts}: anomalies to people through webhooks, Slack and PagerDuty. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"Deliver vault.audit.anomalies to the targets of alerts.targets.file (generic JSON webhook, "
                + "Slack incoming webhook, PagerDuty Events v2) by severity, rule and tenant; retried with backoff, "
                + "throttled per rule and actor, every attempt recorded in alert_delivery.",
                "Settings: alerts.*, postgres.*, kafka.* (docs/CONFIG.md); targets file format in docs/ALERTS.md."})
public final class AlertsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return StageRunner.run("alerts", common.settings(), spec.commandLine().getOut(), AlertsCommand::start);
    }

    /** Starts alert dispatch as a {@link RunningStage}; dev mode uses it too. */
    public static RunningStage start(Settings settings, MeterRegistry registry) {
        return RunningStage.of(AlertsStage.start(settings, registry), Map.of());
    }
}
