package dev.cleanroom.examples.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A real HTTP client for the HookReceiver, on the test's own thread. {@link HttpURLConnection}
 * rather than {@code java.net.http.HttpClient}: on Java 17 the latter cannot be closed and
 * leaves its selector thread behind, which the leak check would rightly report.
 */
public final class HookClient {

    /** Status and body of a response. */
    public record Response(int status, String body) {}

    private final URI base;

    public HookClient(URI base) {
        this.base = base;
    }

    /** {@code POST /hooks/{source}} with a JSON body. */
    public Response post(String source, String json) throws IOException {
        return send("POST", "/hooks/" + source, "application/json", json);
    }

    /** {@code GET /health}. */
    public Response health() throws IOException {
        return send("GET", "/health", null, null);
    }

    public Response send(String method, String path, String contentType, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(30_000);
            connection.setRequestProperty("Connection", "close");
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = stream == null ? "" : new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, text);
        } finally {
            connection.disconnect();
        }
    }
}
