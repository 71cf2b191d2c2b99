package io.auditrail.app;

/** Process exit codes, one per kind of outcome, so scripts can tell them apart. */
public final class ExitCode {
    public static final int OK = 0;
    /** Something failed at run time (a service unreachable, an I/O error). */
    public static final int FAILURE = 1;
    /** Bad arguments or configuration: nothing was started. */
    public static final int USAGE = 2;
    /** The command ran and found problems in the data (bad lines, a broken digest chain). */
    public static final int FINDINGS = 3;

    private ExitCode() {
    }
}
