package org.vigie.taxii.server;

import org.vigie.store.SerializedPage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of a TAXII envelope ({@code more}, {@code next}, {@code objects}) around objects' stored
 * JSON, built in one array of the exact size: the hot path of every GET of objects. Each object's JSON
 * is copied as accepted (no parse, no re-serialisation), which a JSON generator would copy through
 * character buffers several times over.
 */
final class ObjectsEnvelope
{
    private static final byte[] OBJECTS = ",\"objects\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]}".getBytes(StandardCharsets.US_ASCII);

    private ObjectsEnvelope() {}

    /** The envelope of a store's serialized page: its objects' stored bytes copied once, into the result. */
    static byte[] bytes(SerializedPage page)
    {
        byte[] headBytes = head(page.more(), page.next());
        int count = page.size();
        int length = headBytes.length + OBJECTS.length + END.length + Math.max(0, count - 1);
        for (int index = 0; index < count; index++) {
            length += page.jsonLength(index);
        }
        byte[] result = new byte[length];
        int position = copy(headBytes, result, 0);
        position = copy(OBJECTS, result, position);
        for (int index = 0; index < count; index++) {
            if (index > 0) {
                result[position++] = ',';
            }
            position = page.copyJson(index, result, position);
        }
        copy(END, result, position);
        return result;
    }

    static byte[] bytes(boolean more, Optional<String> next, List<String> objectJson)
    {
        byte[] headBytes = head(more, next);
        byte[][] objects = new byte[objectJson.size()][];
        int length = headBytes.length + OBJECTS.length + END.length + Math.max(0, objects.length - 1);
        for (int index = 0; index < objects.length; index++) {
            objects[index] = objectJson.get(index).getBytes(StandardCharsets.UTF_8);
            length += objects[index].length;
        }
        byte[] result = new byte[length];
        int position = copy(headBytes, result, 0);
        position = copy(OBJECTS, result, position);
        for (int index = 0; index < objects.length; index++) {
            if (index > 0) {
                result[position++] = ',';
            }
            position = copy(objects[index], result, position);
        }
        copy(END, result, position);
        return result;
    }

    private static byte[] head(boolean more, Optional<String> next)
    {
        StringBuilder head = new StringBuilder(64).append("{\"more\":").append(more);
        next.ifPresent(cursor -> appendString(head.append(",\"next\":"), cursor));
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int copy(byte[] source, byte[] target, int position)
    {
        System.arraycopy(source, 0, target, position, source.length);
        return position + source.length;
    }

    /** A JSON string literal (cursors are URL-safe base64, but nothing here relies on it). */
    private static void appendString(StringBuilder out, String value)
    {
        out.append('"');
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            if (character == '"' || character == '\\') {
                out.append('\\').append(character);
            }
            else if (character < 0x20) {
                out.append(String.format("\\u%04x", (int) character));
            }
            else {
                out.append(character);
            }
        }
        out.append('"');
    }
}
