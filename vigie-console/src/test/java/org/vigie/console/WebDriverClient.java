package org.vigie.console;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A minimal W3C WebDriver client over HTTP: starts chromedriver on a free local port, opens one
 * headless Chromium session with a fresh profile, and offers what the console tests need.
 */
public final class WebDriverClient
        implements AutoCloseable
{
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Process driver;
    private final URI base;
    private final String session;

    public WebDriverClient(Path profile)
            throws IOException, InterruptedException
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true)
                .start();
        base = URI.create("http://127.0.0.1:" + port + "/");
        // chromedriver prints a line once it listens; read up to it (blocking, no polling), then drain the rest.
        BufferedReader output = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        for (String line = output.readLine(); ; line = output.readLine()) {
            if (line == null) {
                driver.destroyForcibly();
                throw new IllegalStateException("chromedriver exited before listening: " + log);
            }
            log.append(line).append('\n');
            if (line.contains("started successfully")) {
                break;
            }
        }
        Thread drain = new Thread(() -> output.lines().forEach(line -> { }), "chromedriver-output");
        drain.setDaemon(true);
        drain.start();
        if (!ready()) {
            driver.destroyForcibly();
            throw new IllegalStateException("chromedriver is not ready on port " + port + ": " + log);
        }
        ObjectNode capabilities = ConsoleJson.MAPPER.createObjectNode();
        ObjectNode always = capabilities.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        // Test nodes serve TLS with self-signed certificates made by keytool.
        always.put("acceptInsecureCerts", true);
        ObjectNode options = always.putObject("goog:chromeOptions");
        options.put("binary", CHROMIUM.toString());
        ArrayNode arguments = options.putArray("args");
        for (String argument : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile)) {
            arguments.add(argument);
        }
        JsonNode created = call("POST", "session", capabilities);
        session = created.get("sessionId").stringValue();
        ObjectNode timeouts = ConsoleJson.MAPPER.createObjectNode();
        timeouts.put("script", 120_000);
        timeouts.put("implicit", 0);
        call("POST", "session/" + session + "/timeouts", timeouts);
    }

    public static boolean available()
    {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public static String missing()
    {
        return !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is missing" : CHROMEDRIVER + " is missing";
    }

    public void open(URI uri)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("url", uri.toString());
        command("POST", "url", body);
    }

    public String find(String css)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("using", "css selector");
        body.put("value", css);
        return command("POST", "element", body).get(ELEMENT).stringValue();
    }

    /** Clicks the element; found again when the page redrew it between finding and clicking (a refreshed table). */
    public void click(String css)
    {
        for (int attempt = 1; ; attempt++) {
            try {
                command("POST", "element/" + find(css) + "/click", ConsoleJson.MAPPER.createObjectNode());
                return;
            }
            catch (IllegalStateException e) {
                if (attempt == 3 || !e.getMessage().contains("stale element reference")) {
                    throw e;
                }
            }
        }
    }

    /** A real mouse click (W3C actions: move, press, release) at this point of the viewport, in CSS pixels. */
    public void clickAt(double x, double y)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        ObjectNode mouse = body.putArray("actions").addObject();
        mouse.put("type", "pointer");
        mouse.put("id", "mouse");
        mouse.putObject("parameters").put("pointerType", "mouse");
        ArrayNode steps = mouse.putArray("actions");
        ObjectNode move = steps.addObject();
        move.put("type", "pointerMove");
        move.put("origin", "viewport");
        move.put("x", (int) Math.round(x));
        move.put("y", (int) Math.round(y));
        move.put("duration", 0);
        steps.addObject().put("type", "pointerDown").put("button", 0);
        steps.addObject().put("type", "pointerUp").put("button", 0);
        command("POST", "actions", body);
    }

    public void type(String css, String text)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("text", text);
        command("POST", "element/" + find(css) + "/value", body);
    }

    public void clear(String css)
    {
        command("POST", "element/" + find(css) + "/clear", ConsoleJson.MAPPER.createObjectNode());
    }

    public JsonNode script(String script, Object... arguments)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("script", script);
        ArrayNode args = body.putArray("args");
        for (Object argument : arguments) {
            args.add(String.valueOf(argument));
        }
        return command("POST", "execute/sync", body);
    }

    /**
     * Waits in the browser (checking every animation frame) until the expression is truthy; fails
     * naming what was awaited after the deadline.
     */
    public void await(String expression, String what)
    {
        await(expression, what, 20);
    }

    public void await(String expression, String what, int seconds)
    {
        ObjectNode body = ConsoleJson.MAPPER.createObjectNode();
        body.put("script", "const done = arguments[arguments.length - 1]; const deadline = Date.now() + " + seconds * 1000 + ";"
                + "const check = () => { let value = false; try { value = (" + expression + "); } catch (e) { value = false; }"
                + "if (value) { done(true); } else if (Date.now() > deadline) { done(false); } else { requestAnimationFrame(check); } }; check();");
        body.putArray("args");
        JsonNode result = command("POST", "execute/async", body);
        if (!result.asBoolean()) {
            throw new AssertionError("timed out waiting for " + what + " (" + expression + "); the page shows: "
                    + script("return document.querySelector('main > .view:not([hidden])')?.innerText ?? '';").asString());
        }
    }

    public String text(String css)
    {
        return script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css).asString();
    }

    public void screenshot(Path file)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(command("GET", "screenshot", null).stringValue()));
    }

    private JsonNode command(String method, String path, JsonNode body)
    {
        return call(method, "session/" + session + "/" + path, body).get("value");
    }

    private JsonNode call(String method, String path, JsonNode body)
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(660)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(ConsoleJson.MAPPER.writeValueAsString(body)));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = ConsoleJson.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + " failed: " + response.body());
            }
            return path.equals("session") ? answer.get("value") : answer;
        }
        catch (IOException e) {
            throw new IllegalStateException("WebDriver " + method + " " + path + " failed: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during WebDriver " + method + " " + path, e);
        }
    }

    private boolean ready()
    {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("status")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && ConsoleJson.MAPPER.readTree(response.body()).get("value").get("ready").asBoolean();
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close()
    {
        try {
            if (session != null) {
                call("DELETE", "session/" + session, null);
            }
        }
        finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
        }
    }
}
