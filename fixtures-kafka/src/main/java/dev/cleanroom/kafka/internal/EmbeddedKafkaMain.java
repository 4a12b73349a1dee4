package dev.cleanroom.kafka.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import org.apiguardian.api.API;

/**
 * Entry point of the embedded engine's child JVM: formats the storage, starts the KRaft
 * broker, and halts when the parent's pipe to our stdin closes (the parent died or
 * stopped us). Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws Exception {
        String config = args[0];
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever sent; we only wait for end of stream
                }
            } catch (IOException e) {
                // the pipe broke: the parent is gone
            }
            Runtime.getRuntime().halt(0);
        }, "cleanroom-parent-watch");
        watchdog.setDaemon(true);
        watchdog.start();
        int formatted = kafka.tools.StorageTool.execute(new String[] {
                "format", "--ignore-formatted", "-t", args[1], "-c", config}, System.out);
        if (formatted != 0) {
            System.out.println("[cleanroom] formatting the storage failed with exit code " + formatted);
            Runtime.getRuntime().halt(formatted);
        }
        kafka.Kafka.main(new String[] {config});
    }
}
