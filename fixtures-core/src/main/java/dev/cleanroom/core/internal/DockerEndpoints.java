package dev.cleanroom.core.internal;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apiguardian.api.API;

/**
 * A quick look, before Testcontainers is asked, whether anything listens where a Docker
 * engine could be: {@code DOCKER_HOST}, {@code docker.host} in
 * {@code ~/.testcontainers.properties} and the usual sockets. When nothing does, there is
 * no engine, and {@code auto} need not wait for Testcontainers to find that out (which can
 * take the whole probe timeout). A unix socket answers or refuses at once; a TCP address
 * gets {@link #TCP_CONNECT_TIMEOUT}. Setups this look does not understand (ssh, named
 * pipes, Docker contexts, Testcontainers Cloud) are left to Testcontainers. Internal: do not use.
 */
@API(status = INTERNAL, since = "0.1")
public final class DockerEndpoints {

    /** How long a TCP address may take to accept a connection. */
    static final Duration TCP_CONNECT_TIMEOUT = Duration.ofMillis(1000);

    private final List<String> candidates;
    private final boolean understood;

    private DockerEndpoints(List<String> candidates, boolean understood) {
        this.candidates = candidates;
        this.understood = understood;
    }

    /** The places this machine's Docker engine could be, from the environment and the home directory. */
    public static DockerEndpoints of(Map<String, String> env, Path home, String osName) {
        Properties testcontainers = new Properties();
        Path file = home.resolve(".testcontainers.properties");
        if (Files.isReadable(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                testcontainers.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return new DockerEndpoints(List.of(), false);
            }
        }
        boolean understood = !osName.toLowerCase(java.util.Locale.ROOT).startsWith("windows")
                && env.get("DOCKER_CONTEXT") == null && env.get("TC_HOST") == null
                && testcontainers.getProperty("tc.host") == null && !hasDockerContext(home);
        LinkedHashSet<String> places = new LinkedHashSet<>();
        Optional.ofNullable(env.get("DOCKER_HOST")).filter(s -> !s.isBlank()).ifPresent(places::add);
        Optional.ofNullable(testcontainers.getProperty("docker.host")).filter(s -> !s.isBlank()).ifPresent(places::add);
        places.add("unix:///var/run/docker.sock");
        Optional.ofNullable(env.get("XDG_RUNTIME_DIR")).ifPresent(dir -> places.add("unix://" + dir + "/docker.sock"));
        for (String sub : List.of(".docker/run/docker.sock", ".docker/desktop/docker.sock", ".rd/docker.sock",
                ".colima/default/docker.sock", ".colima/docker.sock", ".orbstack/run/docker.sock")) {
            places.add("unix://" + home.resolve(sub));
        }
        for (String place : places) {
            understood &= place.startsWith("unix://") || place.startsWith("tcp://");
        }
        return new DockerEndpoints(List.copyOf(places), understood);
    }

    /** Exactly these places (for tests). */
    static DockerEndpoints at(List<String> places) {
        return new DockerEndpoints(List.copyOf(places), true);
    }

    /** As {@link #of(Map, Path, String)} for this JVM. */
    public static DockerEndpoints ofThisMachine() {
        return of(System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("os.name"));
    }

    /** The places, in the order they are looked at. */
    public List<String> candidates() {
        return candidates;
    }

    /**
     * Looks at every place; empty when something listens at one of them (or the setup is one
     * this look leaves to Testcontainers), else why there is no engine.
     */
    public Optional<DockerProbe.Status> nothingListens() {
        if (!understood) {
            return Optional.empty();
        }
        List<String> reasons = new ArrayList<>();
        for (String place : candidates) {
            String refused = refusal(place);
            if (refused == null) {
                return Optional.empty();
            }
            reasons.add(refused);
        }
        String first = candidates.get(0);
        return Optional.of(new DockerProbe.Status(false, "no Docker engine at " + first + " (" + reasons.get(0) + ")"
                + (candidates.size() > 1 ? ", nor at the " + (candidates.size() - 1) + " other places Testcontainers looks" : "")));
    }

    /** Null when something accepts a connection at {@code place}, else why not. */
    static String refusal(String place) {
        try {
            if (place.startsWith("unix://")) {
                Path socket = Path.of(place.substring("unix://".length()));
                if (!Files.exists(socket)) {
                    return "no such socket";
                }
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                }
                return null;
            }
            URI uri = URI.create(place);
            if (uri.getHost() == null) {
                return "not a host:port address";
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()),
                        (int) TCP_CONNECT_TIMEOUT.toMillis());
            }
            return null;
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        }
    }

    private static boolean hasDockerContext(Path home) {
        Path config = home.resolve(".docker/config.json");
        try {
            return Files.isReadable(config) && Files.readString(config).matches("(?s).*\"currentContext\"\\s*:\\s*\"(?!default\").*");
        } catch (IOException e) {
            return true;
        }
    }
}
