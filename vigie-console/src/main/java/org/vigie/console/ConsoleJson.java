package org.vigie.console;

import io.javalin.http.Context;
import org.vigie.error.ErrorCode;
import org.vigie.error.VigieException;
import org.vigie.stix.json.StixJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON reading and writing of the console API. */
final class ConsoleJson
{
    static final JsonMapper MAPPER = StixJson.mapper();
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private ConsoleJson() {}

    static JsonNode body(Context context)
    {
        String body = context.body();
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new VigieException(ErrorCode.INVALID_JSON, context.path() + ": the request body must be a JSON object");
            }
            return node;
        }
        catch (JacksonException e) {
            throw new VigieException(ErrorCode.INVALID_JSON, context.path() + ": the request body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static void write(Context context, JsonNode node)
    {
        context.contentType(CONTENT_TYPE);
        context.header("Cache-Control", "no-store");
        context.result(MAPPER.writeValueAsString(node));
    }

    static String text(JsonNode node, String property)
    {
        JsonNode value = node.get(property);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
