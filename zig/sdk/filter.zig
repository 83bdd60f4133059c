//! Query filters: which entities a query (queryNearby, countNearby, findByComponent) keeps.
//! The names in a filter are resolved against the snapshot once per query — each tag to its
//! sorted entity list, each component to its table — so a candidate is then tested with a
//! binary search per tag and one array read per component, never by hashing a name again.
//! The spatial grid (or the component table) still picks the candidates.

const std = @import("std");
const abi = @import("abi.zig");
const snapshot = @import("snapshot.zig");

/// Names one list of a filter may hold: the resolved filter lives on the caller's stack.
pub const names_max = 8;

pub const ResolveError = error{ TooLong, InvalidArgument };

/// The name lists of a filter, as `kiln.QueryFilter` holds them.
pub const Names = struct {
    /// The single tag of the original NearbyFilter (empty: none); counted with `with_tags`.
    tag: []const u8 = "",
    with_tags: []const []const u8 = &.{},
    without_tags: []const []const u8 = &.{},
    with_components: []const []const u8 = &.{},
    without_components: []const []const u8 = &.{},
};

pub const Resolved = struct {
    exclude: u64,
    /// A required tag or component no entity has: nothing can match.
    never: bool = false,
    with_tags: [names_max + 1][]const u64 = undefined,
    with_tag_count: usize = 0,
    without_tags: [names_max][]const u64 = undefined,
    without_tag_count: usize = 0,
    with_tables: [names_max]*const abi.ComponentTable = undefined,
    with_table_count: usize = 0,
    without_tables: [names_max]*const abi.ComponentTable = undefined,
    without_table_count: usize = 0,

    pub fn init(snap: *const abi.Snapshot, exclude: u64, names: Names) ResolveError!Resolved {
        var r = Resolved{ .exclude = exclude };
        try checkList(names.with_tags);
        try checkList(names.without_tags);
        try checkList(names.with_components);
        try checkList(names.without_components);
        if (names.tag.len > abi.name_max_bytes) return error.TooLong;
        if (names.tag.len != 0) r.addWithTag(snapshot.tagged(snap, abi.hashName(names.tag)));
        for (names.with_tags) |t| r.addWithTag(snapshot.tagged(snap, abi.hashName(t)));
        for (names.without_tags) |t| {
            const list = snapshot.tagged(snap, abi.hashName(t));
            if (list.len == 0) continue; // nobody has it: excludes nobody
            r.without_tags[r.without_tag_count] = list;
            r.without_tag_count += 1;
        }
        for (names.with_components) |c| {
            const table = snapshot.componentTable(snap, abi.hashName(c)) orelse {
                r.never = true; // an unregistered component: nobody has it
                continue;
            };
            r.with_tables[r.with_table_count] = table;
            r.with_table_count += 1;
        }
        for (names.without_components) |c| {
            const table = snapshot.componentTable(snap, abi.hashName(c)) orelse continue;
            r.without_tables[r.without_table_count] = table;
            r.without_table_count += 1;
        }
        return r;
    }

    fn addWithTag(self: *Resolved, list: []const u64) void {
        if (list.len == 0) self.never = true;
        self.with_tags[self.with_tag_count] = list;
        self.with_tag_count += 1;
    }

    /// True when the live entity `handle` passes the filter.
    pub fn matches(self: *const Resolved, handle: u64) bool {
        if (self.never or handle == self.exclude) return false;
        const index = snapshot.entityIndex(handle);
        for (self.with_tables[0..self.with_table_count]) |t| if (t.entity_to_row[index] < 0) return false;
        for (self.without_tables[0..self.without_table_count]) |t| if (t.entity_to_row[index] >= 0) return false;
        for (self.with_tags[0..self.with_tag_count]) |list| if (!contains(list, handle)) return false;
        for (self.without_tags[0..self.without_tag_count]) |list| if (contains(list, handle)) return false;
        return true;
    }
};

fn checkList(names: []const []const u8) ResolveError!void {
    if (names.len > names_max) return error.TooLong;
    for (names) |n| {
        if (n.len == 0) return error.InvalidArgument;
        if (n.len > abi.name_max_bytes) return error.TooLong;
    }
}

/// Whether a tag's entity list (sorted by index) holds `handle` (index and generation).
fn contains(list: []const u64, handle: u64) bool {
    const index = snapshot.entityIndex(handle);
    var lo: usize = 0;
    var hi: usize = list.len;
    while (lo < hi) {
        const mid = lo + (hi - lo) / 2;
        if (snapshot.entityIndex(list[mid]) < index) lo = mid + 1 else hi = mid;
    }
    return lo < list.len and list[lo] == handle;
}

/// Calls `visit(context, handle)` for every live entity that has component table `table`, by
/// ascending index (the order findByTag gives).
pub fn forEachWithComponent(
    snap: *const abi.Snapshot,
    table: *const abi.ComponentTable,
    context: anytype,
    comptime visit: fn (@TypeOf(context), u64) void,
) void {
    var index: u32 = 0;
    while (index < snap.entity_capacity) : (index += 1) {
        if (table.entity_to_row[index] < 0) continue;
        const row = &snap.entities[index];
        if (row.flags & abi.row_alive == 0) continue;
        visit(context, (@as(u64, row.generation) << 32) | index);
    }
}
