package org.vigie.node.generate;

import java.util.List;

/** Writes one compact JSON object, properties in call order. The generator controls every value, so this stays minimal. */
final class JsonText
{
    private final StringBuilder out = new StringBuilder(512);
    private boolean first = true;

    JsonText()
    {
        out.append('{');
    }

    JsonText string(String name, String value)
    {
        name(name);
        quote(value);
        return this;
    }

    JsonText number(String name, long value)
    {
        name(name);
        out.append(value);
        return this;
    }

    JsonText bool(String name, boolean value)
    {
        name(name);
        out.append(value);
        return this;
    }

    JsonText strings(String name, List<String> values)
    {
        name(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            quote(values.get(i));
        }
        out.append(']');
        return this;
    }

    /** A property whose value is already JSON text. */
    JsonText raw(String name, String json)
    {
        name(name);
        out.append(json);
        return this;
    }

    String end()
    {
        out.append('}');
        return out.toString();
    }

    private void name(String name)
    {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(String value)
    {
        appendQuoted(value, out);
    }

    private static void appendQuoted(String value, StringBuilder builder)
    {
        builder.append('"');
        for (int i = 0; i < value.length(); i++) {
            char character = value.charAt(i);
            if (character == '"' || character == '\\') {
                builder.append('\\').append(character);
            }
            else if (character < 0x20) {
                builder.append(String.format("\\u%04x", (int) character));
            }
            else {
                builder.append(character);
            }
        }
        builder.append('"');
    }
}
