package org.vigie.screening;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What changed between two snapshots of the lists, each part sorted by list then reference. */
public record ListDiff(List<Designation> added, List<Change> changed, List<Designation> removed)
{
    public ListDiff
    {
        added = List.copyOf(requireNonNull(added, "added is null"));
        changed = List.copyOf(requireNonNull(changed, "changed is null"));
        removed = List.copyOf(requireNonNull(removed, "removed is null"));
    }

    public boolean isEmpty()
    {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    /** One designation present in both snapshots whose content differs. */
    public record Change(Designation before, Designation after)
    {
        public Change
        {
            requireNonNull(before, "before is null");
            requireNonNull(after, "after is null");
        }
    }
}
