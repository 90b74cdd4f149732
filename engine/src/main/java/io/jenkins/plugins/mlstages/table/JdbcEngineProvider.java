package io.jenkins.plugins.mlstages.table;

import java.util.Map;

/** Opens PostgreSQL over JDBC (pgjdbc, bundled): {@code jdbc:postgresql://host:port/database}. */
public final class JdbcEngineProvider implements SqlEngineProvider {
    @Override
    public boolean accepts(String location) {
        return location.startsWith(JdbcUrl.PREFIX);
    }

    @Override
    public SqlEngine open(String location, Map<String, String> secrets) throws TableSourceException {
        return JdbcEngine.connect(JdbcUrl.parse(location), secrets.get(SqlEngines.USER), secrets.get(SqlEngines.PASSWORD));
    }
}
