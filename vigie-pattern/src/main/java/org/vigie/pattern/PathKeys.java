package org.vigie.pattern;

/**
 * The flattened key of an object path: {@code type:name.name[3].name[*]}, where a name's
 * backslash, dot and bracket are escaped with a backslash so that every key is unambiguous.
 */
public final class PathKeys
{
    private PathKeys() {}

    public static String key(ObjectPath path)
    {
        StringBuilder key = new StringBuilder(path.objectType()).append(':');
        boolean first = true;
        for (ObjectPath.Step step : path.steps()) {
            if (step instanceof ObjectPath.Property property) {
                if (!first) {
                    key.append('.');
                }
                key.append(escape(property.name()));
            }
            else if (step instanceof ObjectPath.Index index) {
                key.append('[').append(index.isAny() ? "*" : Integer.toString(index.position())).append(']');
            }
            first = false;
        }
        return key.toString();
    }

    static String escape(String name)
    {
        if (name.indexOf('\\') < 0 && name.indexOf('.') < 0 && name.indexOf('[') < 0) {
            return name;
        }
        return name.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[");
    }
}
