package io.jenkins.plugins.mlstages.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** bin/mlstages's class-data sharing archive: built once, used after, and never in the way. */
public class LauncherClassArchiveIT {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void firstRunBuildsTheArchiveLaterRunsUseItAndTheOutputIsTheSame() throws Exception {
        Path cache = folder.newFolder("cache").toPath();
        String plain = run("off", cache, "--version");
        assertEquals(plain, run("on", cache, "--version"));
        List<Path> archives = archives(cache);
        assertEquals(archives.toString(), 1, archives.size());
        Path archive = archives.get(0);
        assertTrue(archive.getFileName().toString().endsWith("-" + Files.size(archive) + ".jsa"));
        assertEquals(plain, run("on", cache, "--version"));
        assertEquals(List.of(archive), archives(cache));
    }

    /** A JVM maps an archive cut short and crashes (SIGBUS): the launcher must never hand it one. */
    @Test
    public void anArchiveCutShortIsReplacedNotUsed() throws Exception {
        Path cache = folder.newFolder("cache").toPath();
        String plain = run("off", cache, "--version");
        run("on", cache, "--version");
        Path archive = archives(cache).get(0);
        archive.toFile().setWritable(true);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(100_000);
        }
        assertEquals(plain, run("on", cache, "--version"));
        assertEquals(1, archives(cache).size());
        // rebuilt whole: its name carries its own size (a rebuild's size may differ by a few pages from the first)
        Path rebuilt = archives(cache).get(0);
        assertTrue(rebuilt.toString(), rebuilt.getFileName().toString().endsWith("-" + Files.size(rebuilt) + ".jsa"));
        assertTrue(Files.size(rebuilt) > 100_000);
    }

    @Test
    public void aCacheThatCannotBeWrittenMeansNoArchive() throws Exception {
        Path notAFolder = folder.newFile("cache").toPath();
        assertEquals(run("off", notAFolder, "--version"), run("on", notAFolder.resolve("mlstages"), "--version"));
        assertFalse(Files.isDirectory(notAFolder));
    }

    private static List<Path> archives(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.sorted().toList();
        }
    }

    /** stdout and stderr of bin/mlstages, which must exit 0. */
    private String run(String cds, Path cache, String... args) throws Exception {
        Path launcher = Path.of(System.getProperty("mlstages.root", "..")).resolve("bin/mlstages");
        Path log = folder.newFile().toPath();
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList())
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MLSTAGES_CDS", cds);
        builder.environment().put("MLSTAGES_CDS_DIR", cache.toString());
        Process process = builder.start();
        assertTrue("bin/mlstages did not finish", process.waitFor(120, TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertEquals(output, 0, process.exitValue());
        return output;
    }
}
