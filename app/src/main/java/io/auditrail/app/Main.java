package io.auditrail.app;

/** Entry point of the auditrail CLI. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(AuditrailCommand.commandLine().execute(args));
    }
}
