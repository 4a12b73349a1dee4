package dev.cleanroom.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * Work outlived its test: threads still alive after teardown, tracked tasks that ignored
 * their deadline, failed futures that nobody read. Thrown at teardown when
 * {@code cleanroom.leaks=fail} (the default); printed when {@code warn}.
 *
 * <p>The message lists every leak with the test's name, the thread's stack and the stack
 * of where the work was created. The exceptions of unread failed futures are attached as
 * suppressed.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LeakException extends RuntimeException {

    private final transient List<Leak> leaks;

    public LeakException(String owner, List<Leak> leaks) {
        super(message(owner, leaks), null, true, false);
        this.leaks = List.copyOf(leaks);
        for (Leak leak : leaks) {
            if (leak.failure() != null) {
                addSuppressed(leak.failure());
            }
        }
    }

    /** The leaks, in the order they were found. */
    public List<Leak> leaks() {
        return leaks;
    }

    private static String message(String owner, List<Leak> leaks) {
        String nl = System.lineSeparator();
        StringBuilder text = new StringBuilder().append(leaks.size()).append(leaks.size() == 1 ? " leak" : " leaks")
                .append(" in ").append(owner).append(':');
        int n = 1;
        for (Leak leak : leaks) {
            text.append(nl).append("  ").append(n++).append(". ").append(leak.report());
        }
        text.append(nl).append("Stop the work before the test ends (or create it through TaskTracker, which stops it for you). ")
                .append("To ignore threads you cannot stop, set cleanroom.leaks.ignore-threads=<regex> or annotate the test with ")
                .append("@IgnoreLeakedThreads; to only print leaks, set cleanroom.leaks=warn.");
        return text.toString();
    }
}
