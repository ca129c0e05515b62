package org.vigie.console;

import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A live-feed client for tests: one SSE connection read on its own thread into a queue of messages,
 * taken with a deadline (never a sleep). Closing it drops the connection, as a browser losing its
 * network would.
 */
final class FeedClient
        implements AutoCloseable
{
    static final Duration DEADLINE = Duration.ofSeconds(60);

    record Message(String event, Optional<String> id, String data) {}

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Optional<String> lastId = Optional.empty();

    private FeedClient(HttpResponse<InputStream> response)
    {
        this.response = response;
        this.reader = new Thread(this::read, "feed-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the feed of {@code baseUri} with a bearer token, resuming after {@code lastEventId} when given. */
    static FeedClient open(HttpClient http, URI baseUri, String token, Optional<String> lastEventId)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve("/console/api/feed"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        lastEventId.ifPresent(id -> request.header("Last-Event-ID", id));
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IllegalStateException("the feed answered " + response.statusCode() + ": " + body);
        }
        return new FeedClient(response);
    }

    private void read()
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "message";
            Optional<String> id = Optional.empty();
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        messages.add(new Message(event, id, data.toString()));
                    }
                    event = "message";
                    id = Optional.empty();
                    data.setLength(0);
                }
                else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                }
                else if (line.startsWith("id: ")) {
                    id = Optional.of(line.substring(4));
                }
                else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        catch (IOException e) {
            // closed by the test
        }
    }

    /**
     * The messages up to and including the first matching {@code until}; fails after the deadline. The id
     * of the last message taken that carried one is kept as {@link #lastId()}, as a browser keeps it.
     */
    List<Message> takeUntil(Predicate<Message> until)
            throws InterruptedException
    {
        List<Message> taken = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Message message = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no matching feed message within " + DEADLINE + "; received " + taken);
            }
            taken.add(message);
            if (message.id().isPresent()) {
                lastId = message.id();
            }
            if (until.test(message)) {
                return taken;
            }
        }
    }

    Optional<String> lastId()
    {
        return lastId;
    }

    /** The object ids of the {@code object} messages, in order. */
    static List<String> objectIds(List<Message> messages, String idPrefix)
    {
        List<String> ids = new ArrayList<>();
        for (Message message : messages) {
            if (message.event().equals("object")) {
                String id = ConsoleJson.MAPPER.readTree(message.data()).get("id").stringValue();
                if (id.startsWith(idPrefix)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** The object ids of the {@code exchange} messages (releases and recalls) going {@code direction}, in order. */
    static List<String> exchangeObjectIds(List<Message> messages, String direction)
    {
        List<String> ids = new ArrayList<>();
        for (Message message : messages) {
            if (message.event().equals("exchange")) {
                JsonNode body = ConsoleJson.MAPPER.readTree(message.data());
                if (body.get("direction").stringValue().equals(direction)) {
                    body.get("objects").forEach(object -> ids.add(object.get("id").stringValue()));
                }
            }
        }
        return ids;
    }

    @Override
    public void close()
            throws IOException
    {
        response.body().close();
    }
}
