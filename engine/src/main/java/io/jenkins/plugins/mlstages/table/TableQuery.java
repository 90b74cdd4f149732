package io.jenkins.plugins.mlstages.table;

/**
 * What to read from a table source: a table by name, or the rows of a query. Exactly one is set.
 *
 * @param table a table name as the source spells it ({@code db.schema.table})
 * @param query a SELECT whose rows are the dataset
 */
public record TableQuery(String table, String query) {
    public TableQuery {
        if ((table == null) == (query == null)) {
            throw new IllegalArgumentException("give a table or a query, not both and not neither");
        }
    }

    public static TableQuery table(String name) {
        return new TableQuery(name, null);
    }

    public static TableQuery query(String sql) {
        return new TableQuery(null, sql);
    }
}
