/**
 * Data that lives in a table: a SQL database over JDBC or a Spark cluster over Spark Connect. The stages
 * push the work down as SQL aggregates ({@link SqlEngine}) and build the same profiles and metrics the
 * file readers give, so rules, drift, the report and lineage stay one path (issue 15; docs/tables.md).
 */
package io.jenkins.plugins.mlstages.table;
