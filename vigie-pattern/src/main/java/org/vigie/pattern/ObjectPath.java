package org.vigie.pattern;

import java.util.List;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * An object path {@code type:property.property[index]...}: the SCO type, then property names and
 * list indices. A property whose name ends in {@code _ref} or {@code _refs} followed by further steps
 * dereferences the object(s) it points to.
 */
public record ObjectPath(String objectType, List<Step> steps)
{
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public ObjectPath
    {
        requireNonNull(objectType, "objectType is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        if (steps.isEmpty() || !(steps.get(0) instanceof Property)) {
            throw new IllegalArgumentException("an object path starts with a property name");
        }
    }

    public sealed interface Step
            permits Property, Index {}

    public record Property(String name)
            implements Step
    {
        public Property
        {
            requireNonNull(name, "name is null");
        }
    }

    /** A list index; {@link #ANY} is {@code [*]}. */
    public record Index(int position)
            implements Step
    {
        public static final int ANY = -1;

        public boolean isAny()
        {
            return position == ANY;
        }
    }

    public String toPatternText()
    {
        StringBuilder text = new StringBuilder(objectType).append(':');
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step instanceof Property property) {
                if (i > 0) {
                    text.append('.');
                }
                text.append(PLAIN_NAME.matcher(property.name()).matches() && !isKeyword(property.name()) ? property.name() : Constant.quote(property.name()));
            }
            else if (step instanceof Index index) {
                text.append('[').append(index.isAny() ? "*" : Integer.toString(index.position())).append(']');
            }
        }
        return text.toString();
    }

    private static boolean isKeyword(String name)
    {
        return switch (name) {
            case "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS", "IN",
                 "WITHIN", "SECONDS", "REPEATS", "TIMES", "START", "STOP", "true", "false" -> true;
            default -> false;
        };
    }
}
