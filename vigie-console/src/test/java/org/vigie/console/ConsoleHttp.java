package org.vigie.console;

import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The console API over real HTTP for tests: sign-in for a bearer token, then JSON in and out. */
final class ConsoleHttp
{
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ConsoleNode node;

    ConsoleHttp(ConsoleNode node)
    {
        this.node = node;
    }

    String login(String user)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.uri("/console/api/login"))
                .header("Authorization", basic(user, ConsoleNode.PASSWORD))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return ConsoleJson.MAPPER.readTree(response.body()).get("token").stringValue();
    }

    static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String token, String path)
            throws Exception
    {
        return http.send(HttpRequest.newBuilder(node.uri(path)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> sendPost(String token, String path, String body)
            throws Exception
    {
        return http.send(HttpRequest.newBuilder(node.uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String token, String path)
            throws Exception
    {
        HttpResponse<String> response = send(token, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ConsoleJson.MAPPER.readTree(response.body());
    }

    JsonNode post(String token, String path, String body)
            throws Exception
    {
        HttpResponse<String> response = sendPost(token, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ConsoleJson.MAPPER.readTree(response.body());
    }
}
