package dev.cleanroom.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** engine=auto must decide within 2 s when nothing listens where a Docker engine could be. */
class DockerEndpointsTest {

    private static final Duration DECIDES_WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aDockerHostUnixSocketWhereNothingListensMeansNoDockerAtOnce() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(stale)); // the file stays when the listener goes: a stopped engine
        }
        assertThat(stale).exists();
        String host = "unix://" + stale;

        Optional<DockerProbe.Status> answer = assertTimeoutPreemptively(DECIDES_WITHIN,
                () -> DockerEndpoints.at(List.of(host, "unix://" + dir.resolve("missing.sock"))).nothingListens());

        assertThat(answer).hasValueSatisfying(status -> {
            assertThat(status.available()).isFalse();
            assertThat(status.detail()).startsWith("no Docker engine at " + host + " (")
                    .endsWith("), nor at the 1 other places Testcontainers looks");
        });
    }

    @Test
    void noSocketAtAllMeansNoDockerAtOnce() {
        String host = "unix://" + dir.resolve("docker.sock");

        Optional<DockerProbe.Status> answer = assertTimeoutPreemptively(DECIDES_WITHIN,
                () -> DockerEndpoints.at(List.of(host)).nothingListens());

        assertThat(answer).hasValue(new DockerProbe.Status(false, "no Docker engine at " + host + " (no such socket)"));
    }

    @Test
    void aTcpDockerHostWhereNothingListensMeansNoDockerAtOnce() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        String host = "tcp://127.0.0.1:" + port;

        Optional<DockerProbe.Status> answer = assertTimeoutPreemptively(DECIDES_WITHIN,
                () -> DockerEndpoints.at(List.of(host)).nothingListens());

        assertThat(answer).hasValueSatisfying(status -> assertThat(status.detail()).startsWith("no Docker engine at " + host + " ("));
    }

    @Test
    void somethingListeningAtAnyPlaceIsLeftToTestcontainers() throws Exception {
        Path live = dir.resolve("live.sock");
        try (ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             ServerSocket tcp = new ServerSocket(0)) {
            unix.bind(UnixDomainSocketAddress.of(live));
            String missing = "unix://" + dir.resolve("missing.sock");

            assertThat(DockerEndpoints.at(List.of(missing, "unix://" + live)).nothingListens()).isEmpty();
            assertThat(DockerEndpoints.at(List.of(missing, "tcp://127.0.0.1:" + tcp.getLocalPort())).nothingListens()).isEmpty();
        }
    }

    @Test
    void dockerHostComesFirstThenTestcontainersPropertiesThenTheUsualSockets() throws Exception {
        Files.writeString(dir.resolve(".testcontainers.properties"), "docker.host=tcp\\://10.0.0.1\\:2375\n");

        DockerEndpoints places = DockerEndpoints.of(Map.of("DOCKER_HOST", "unix:///tmp/x.sock", "XDG_RUNTIME_DIR", "/run/user/7"),
                dir, "Linux");

        assertThat(places.candidates()).startsWith("unix:///tmp/x.sock", "tcp://10.0.0.1:2375", "unix:///var/run/docker.sock",
                "unix:///run/user/7/docker.sock", "unix://" + dir.resolve(".docker/run/docker.sock"));
    }

    @Test
    void setupsTheQuickLookDoesNotUnderstandAreLeftToTestcontainers() {
        String missing = "unix://" + dir.resolve("missing.sock");
        for (Map<String, String> env : List.of(Map.of("DOCKER_HOST", "ssh://me@builder"), Map.of("DOCKER_CONTEXT", "colima"),
                Map.of("TC_HOST", "tcp://cloud:1234"), Map.of("DOCKER_HOST", missing))) {
            assertThat(DockerEndpoints.of(env, dir, "Windows 11").nothingListens()).as("%s on Windows", env).isEmpty();
            if (!env.equals(Map.of("DOCKER_HOST", missing))) {
                assertThat(DockerEndpoints.of(env, dir, "Linux").nothingListens()).as("%s", env).isEmpty();
            }
        }
    }
}
