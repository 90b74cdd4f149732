package io.jenkins.plugins.mlstages.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.mlstages.table.TableQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.Test;

/** The table-source checks validateData and evaluateModel share, with each step's own option names. */
public class TableSourceTest {

    private static String refused(TableSource source) {
        return assertThrows(IllegalArgumentException.class, source::check).getMessage();
    }

    @Test
    public void aFileOrOneTableSourceIsAccepted() {
        TableSource file = TableSource.dataset("d.csv", null, null, null, null, "ref.csv", null, null, null);
        file.check();
        assertFalse(file.readsTable());
        assertEquals("d.csv", file.name());
        TableSource table = TableSource.predictions(null, "jdbc:postgresql://h/db", null, "scores", null, "db-reader");
        table.check();
        assertTrue(table.readsTable());
        assertEquals("scores", table.name());
        assertEquals("query", TableSource.dataset(null, null, "sc://h:15002", null, "SELECT 1", null, "ref", null, null).name());
    }

    @Test
    public void noSourceOrTwoSourcesNameTheStepsOptions() {
        assertEquals("give data (the dataset's path in the workspace), or table or query with jdbcUrl or sparkRemote",
                refused(TableSource.dataset(null, null, null, null, null, null, null, null, null)));
        assertEquals("evaluateModel needs predictions (the predictions file in the workspace), or table or query with"
                + " sparkRemote or jdbcUrl", refused(TableSource.predictions(null, null, null, null, null, null)));
        assertEquals("give only one of data, table and query",
                refused(TableSource.dataset("d.csv", "jdbc:postgresql://h/db", null, "t", null, null, null, null, null)));
        assertEquals("give only one of predictions, table and query",
                refused(TableSource.predictions(null, "jdbc:postgresql://h/db", null, "t", "SELECT 1", null)));
    }

    @Test
    public void oneReferenceAndOneLocation() {
        assertEquals("give only one of reference, referenceTable and referenceQuery",
                refused(TableSource.dataset(null, "jdbc:postgresql://h/db", null, "t", null, "ref.csv", "r", null, null)));
        assertEquals("give only one of reference, referenceTable and referenceQuery",
                refused(TableSource.dataset(null, "jdbc:postgresql://h/db", null, "t", null, null, "r", "SELECT 1", null)));
        assertEquals("give only one of jdbcUrl and sparkRemote",
                refused(TableSource.predictions(null, "jdbc:postgresql://h/db", "sc://h:15002", "t", null, null)));
    }

    /** The table credential is credentialsId on validateData but tableCredentialsId on evaluateModel: the message says which. */
    @Test
    public void tableOptionsWithAFileNameTheStepsCredentialOption() {
        assertEquals("jdbcUrl, sparkRemote, referenceTable, referenceQuery and credentialsId need table or query instead of data",
                refused(TableSource.dataset("d.csv", null, null, null, null, null, null, null, "db-reader")));
        assertEquals("jdbcUrl, sparkRemote, referenceTable, referenceQuery and credentialsId need table or query instead of data",
                refused(TableSource.dataset("d.csv", null, null, null, null, null, "r", null, null)));
        assertEquals("jdbcUrl, sparkRemote and tableCredentialsId need table or query instead of predictions",
                refused(TableSource.predictions("p.csv", null, "sc://h:15002", null, null, null)));
        assertEquals("jdbcUrl, sparkRemote and tableCredentialsId need table or query instead of predictions",
                refused(TableSource.predictions("p.csv", null, null, null, null, "db-reader")));
        assertEquals("tableCredentialsId", TableSource.Kind.PREDICTIONS.credentialOption);
        assertEquals("credentialsId", TableSource.Kind.DATASET.credentialOption);
    }

    /** What the agent reads, and the source travels to it (Java serialization, as remoting sends the callable). */
    @Test
    public void theDataAndReferenceToReadTravelToTheAgent() throws Exception {
        TableSource source = TableSource.dataset(null, "jdbc:postgresql://h/db", null, null, "SELECT * FROM cur", null,
                "ref", null, "db-reader");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(source);
        }
        TableSource sent;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            sent = (TableSource) in.readObject();
        }
        assertEquals(source, sent);
        assertEquals(TableQuery.query("SELECT * FROM cur"), sent.data());
        assertEquals("query", sent.dataOption());
        assertEquals(TableQuery.table("ref"), sent.referenceData());
        TableSource predictions = TableSource.predictions(null, null, "sc://h:15002", "ml.scores", null, null);
        assertEquals(TableQuery.table("ml.scores"), predictions.data());
        assertEquals("table", predictions.dataOption());
        assertNull(predictions.referenceData());
    }
}
