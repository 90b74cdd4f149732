package io.jenkins.plugins.mlstages.table;

/** The SQL flavours the pushed-down queries are written for. */
public enum SqlDialect {
    /** PostgreSQL 12+ (pgjdbc). */
    POSTGRESQL,
    /** Spark SQL 3.5+/4.x, also Databricks. */
    SPARK
}
