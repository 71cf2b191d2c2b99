package io.auditrail.app;

import io.auditrail.app.dev.DevCommand;
import io.auditrail.app.inspect.InspectCommand;
import io.auditrail.app.simulate.SimulateCommand;
import io.auditrail.app.stage.AlertsCommand;
import io.auditrail.app.stage.ArchiveCommand;
import io.auditrail.app.stage.IndexCommand;
import io.auditrail.app.stage.IngestCommand;
import io.auditrail.app.stage.ServeCommand;
import io.auditrail.app.stage.StreamsCommand;
import io.auditrail.app.task.MigrateCommand;
import io.auditrail.app.task.ImportCommand;
import io.auditrail.app.task.ReplayCommand;
import io.auditrail.app.task.ReportCommand;
import io.auditrail.app.task.RetentionCommand;
import io.auditrail.app.task.TokenCommand;
import io.auditrail.app.task.VerifyCommand;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The root {@code auditrail} command: a list of subcommands, one per stage or tool. */
@Command(name = "auditrail", mixinStandardHelpOptions = true, versionProvider = AuditrailCommand.Version.class,
        description = "Audit-log pipeline and compliance reporting for a HashiCorp Vault HA cluster.",
        subcommands = {DevCommand.class, IngestCommand.class, StreamsCommand.class, IndexCommand.class,
                ArchiveCommand.class, AlertsCommand.class, ServeCommand.class, MigrateCommand.class, RetentionCommand.class,
                TokenCommand.class, ReportCommand.class, VerifyCommand.class, ReplayCommand.class, ImportCommand.class,
                InspectCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class AuditrailCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The configured command line: one-line errors and distinct exit codes for every command. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AuditrailCommand());
        // Java 17 encodes stdout in the platform charset, which may be ASCII: audit lines are UTF-8
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("auditrail: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof ConfigException) {
                err.println("auditrail: configuration: " + ex.getMessage());
                return ExitCode.USAGE;
            }
            err.println("auditrail: " + cmd.getCommandName() + " failed: " + oneLine(ex));
            return ExitCode.FAILURE;
        });
        return cl;
    }

    private static String oneLine(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        if (root != ex && root.getMessage() != null && !msg.contains(root.getMessage())) {
            msg += ": " + root.getMessage();
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AuditrailCommand.class.getPackage().getImplementationVersion();
            return new String[] {"auditrail " + (v == null ? "(development build)" : v)};
        }
    }
}
